import type { DataSource } from 'typeorm';
import { BlockDataCipher, blockKeyId } from './block-data.cipher';
import { BLOCK_ENCRYPTION_KEY_NAME, storedBlockKey } from './block-encryption.key';

export interface BlockKeyRotation {
  /**
   * The key to encrypt everything with from now on, kept outside the database (base64), or null to
   * generate a fresh key and keep it in the database (`configuration`) as before.
   */
  readonly newExternalKey: string | null;
  /** Keys (base64) the current data may be encrypted with, besides the one in the database. */
  readonly previousKeys: readonly string[];
}

export interface BlockKeyRotationResult {
  readonly documents: number;
  /** Id of the key everything is encrypted with now (`blockKeyId`). */
  readonly keyId: string;
  /** Whether the database still holds a key (false once the key is external). */
  readonly keyInDatabase: boolean;
}

/**
 * Re-encrypts every block document with a new key in one transaction (rows and the stored key
 * locked, so a concurrent write cannot slip in with the old key unseen). Reads each value with the
 * previous keys and the key in the database; a value none of them opens fails the whole rotation
 * and changes nothing. With an external new key the database key is deleted, so a dump of the
 * database alone no longer holds any key; otherwise the fresh key replaces it. `updated` is kept:
 * this is not a change of the documents.
 */
export async function rotateBlockEncryptionKey(
  dataSource: DataSource,
  rotation: BlockKeyRotation,
): Promise<BlockKeyRotationResult> {
  return dataSource.transaction(async (manager) => {
    const [row] = (await manager.query(`SELECT value FROM configuration WHERE key = $1 FOR UPDATE`, [
      BLOCK_ENCRYPTION_KEY_NAME,
    ])) as { value: unknown }[];
    const stored = storedBlockKey(row?.value);
    const readKeys = [...rotation.previousKeys, ...(stored === null ? [] : [stored])];
    const external = rotation.newExternalKey;
    const newKey = external ?? BlockDataCipher.generateKey();
    const reader =
      readKeys.length === 0
        ? null
        : new BlockDataCipher(readKeys[0] as string, { readKeys: readKeys.slice(1) });
    const writer = new BlockDataCipher(newKey, { external: external !== null });

    const documents = (await manager.query(`SELECT id, data FROM block_document ORDER BY id FOR UPDATE`)) as {
      id: string;
      data: unknown;
    }[];
    for (const document of documents) {
      if (reader === null) {
        throw new Error('block documents exist but no key to read them was found (pass --previous-key-file)');
      }
      const plain = reader.decrypt(String(document.data));
      await manager.query(`UPDATE block_document SET data = $2::jsonb WHERE id = $1`, [
        document.id,
        JSON.stringify(writer.encrypt(plain)),
      ]);
    }
    if (external !== null) {
      await manager.query(`DELETE FROM configuration WHERE key = $1`, [BLOCK_ENCRYPTION_KEY_NAME]);
    } else {
      await manager.query(
        `INSERT INTO configuration (key, value) VALUES ($1, $2::jsonb)
           ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated = now()`,
        [BLOCK_ENCRYPTION_KEY_NAME, JSON.stringify({ key: newKey })],
      );
    }
    return { documents: documents.length, keyId: blockKeyId(newKey), keyInDatabase: external === null };
  });
}
