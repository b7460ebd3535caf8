import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';
const IV_BYTES = 12;
const KEY_BYTES = 32;

/**
 * Block document `data` at rest: AES-256-GCM with a random 96-bit IV per write, stored as the
 * string `v1:<iv>:<tag>:<ciphertext>` (base64 parts) in the jsonb column. GCM authenticates, so a
 * tampered value or a wrong key fails to decrypt rather than yielding garbage.
 */
export class BlockDataCipher {
  private readonly key: Buffer;

  constructor(base64Key: string) {
    const key = Buffer.from(base64Key, 'base64');
    if (key.length !== KEY_BYTES) throw new Error(`block encryption key must be ${KEY_BYTES} bytes`);
    this.key = key;
  }

  /** A fresh random key, base64-encoded, for the `configuration` table. */
  static generateKey(): string {
    return randomBytes(KEY_BYTES).toString('base64');
  }

  encrypt(data: Record<string, unknown>): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv.toString('base64'), tag.toString('base64'), body.toString('base64')].join(':');
  }

  decrypt(stored: string): Record<string, unknown> {
    const [version, iv, tag, body] = stored.split(':');
    if (version !== VERSION || iv === undefined || tag === undefined || body === undefined)
      throw new Error('block document data is not in the expected encrypted form');
    const decipher = createDecipheriv(ALGORITHM, this.key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]);
    return JSON.parse(text.toString('utf8')) as Record<string, unknown>;
  }
}
