import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const KEY_BYTES = 32;

function decodeKey(base64Key: string): Buffer {
  const key = Buffer.from(base64Key, 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`block encryption key must be ${KEY_BYTES} bytes`);
  return key;
}

/** A short public name of a key (sha-256 prefix): which key a value was written with. */
export function blockKeyId(base64Key: string): string {
  return createHash('sha256').update(decodeKey(base64Key)).digest('hex').slice(0, 16);
}

/**
 * Block document `data` at rest: AES-256-GCM with a random 96-bit IV per write. GCM authenticates,
 * so a tampered value or a wrong key fails to decrypt rather than yielding garbage. Two stored forms:
 *
 * - `v1:<iv>:<tag>:<ciphertext>` — written with the key kept in the database (`configuration`);
 * - `v2:<key id>:<iv>:<tag>:<ciphertext>` — written with a key from outside the database
 *   (`PREFECT_SERVER_BLOCKS_ENCRYPTION_KEY[_FILE]`), named by `blockKeyId`.
 *
 * A cipher writes with one key and reads with it and any older keys it is given (a `v1` value with
 * each key in turn, a `v2` value with the key its id names).
 */
export class BlockDataCipher {
  private readonly writeKey: Buffer;
  private readonly writeId: string | null;
  private readonly readKeys: ReadonlyArray<{ id: string; key: Buffer }>;

  /**
   * `external`: the write key lives outside the database, so values are written as `v2` with its
   * id. `readKeys`: older keys (base64) values may still be encrypted with.
   */
  constructor(base64Key: string, options: { external?: boolean; readKeys?: readonly string[] } = {}) {
    this.writeKey = decodeKey(base64Key);
    this.writeId = options.external === true ? blockKeyId(base64Key) : null;
    this.readKeys = [base64Key, ...(options.readKeys ?? [])].map((k) => ({
      id: blockKeyId(k),
      key: decodeKey(k),
    }));
  }

  /** A fresh random key, base64-encoded. */
  static generateKey(): string {
    return randomBytes(KEY_BYTES).toString('base64');
  }

  encrypt(data: Record<string, unknown>): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.writeKey, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64'));
    return (this.writeId === null ? ['v1', ...parts] : ['v2', this.writeId, ...parts]).join(':');
  }

  decrypt(stored: string): Record<string, unknown> {
    const parts = stored.split(':');
    if (parts[0] === 'v2' && parts.length === 5) {
      const [, id, iv, tag, body] = parts as [string, string, string, string, string];
      const key = this.readKeys.find((k) => k.id === id);
      if (key === undefined) {
        throw new Error(`block document data is encrypted with key ${id}, which this process does not have`);
      }
      return open(key.key, iv, tag, body);
    }
    if (parts[0] === 'v1' && parts.length === 4) {
      const [, iv, tag, body] = parts as [string, string, string, string];
      let failure: unknown = null;
      for (const { key } of this.readKeys) {
        try {
          return open(key, iv, tag, body);
        } catch (error) {
          failure = error;
        }
      }
      throw new Error(`block document data cannot be decrypted with any known key: ${String(failure)}`);
    }
    throw new Error('block document data is not in the expected encrypted form');
  }
}

function open(key: Buffer, iv: string, tag: string, body: string): Record<string, unknown> {
  const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]);
  return JSON.parse(text.toString('utf8')) as Record<string, unknown>;
}
