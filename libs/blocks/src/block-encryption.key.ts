import { readFile } from 'node:fs/promises';
import { Injectable, Optional } from '@nestjs/common';
import { InjectSettings, type Settings } from '@orrery/config';
import { ConfigurationRepository } from '@orrery/persistence';
import { BlockDataCipher } from './block-data.cipher';

/** The `configuration` key holding the block data key (not Prefect's Fernet `ENCRYPTION_KEY`). */
export const BLOCK_ENCRYPTION_KEY_NAME = 'orrery-block-document-encryption-key';

/**
 * The external block key of these settings (`PREFECT_SERVER_BLOCKS_ENCRYPTION_KEY`, or the
 * content of `…_KEY_FILE`), or null when the key lives in the database.
 */
export async function externalBlockKey(settings: Settings | undefined): Promise<string | null> {
  const blocks = settings?.server.blocks;
  if (blocks === undefined) return null;
  if (blocks.encryptionKey !== null) return blocks.encryptionKey;
  if (blocks.encryptionKeyFile === null) return null;
  const key = (await readFile(blocks.encryptionKeyFile, 'utf8')).trim();
  try {
    new BlockDataCipher(key);
  } catch {
    throw new Error(
      `PREFECT_SERVER_BLOCKS_ENCRYPTION_KEY_FILE: ${blocks.encryptionKeyFile} does not hold 32 bytes in base64`,
    );
  }
  return key;
}

/** The database-kept key, if any, from the value stored under BLOCK_ENCRYPTION_KEY_NAME. */
export function storedBlockKey(value: unknown): string | null {
  const key = (value as { key?: unknown } | null | undefined)?.key;
  return typeof key === 'string' ? key : null;
}

/**
 * The cipher for block document data, read once per process. With an external key (settings) it
 * writes with that key and never creates one in the database; a key still in the database (from
 * before, until `orrery server blocks rotate-key` removes it) is used to read older values. Without
 * one, the key is created in `configuration` on first use by whichever replica gets there first
 * (INSERT … ON CONFLICT DO NOTHING, then read), so every replica uses the same key.
 */
@Injectable()
export class BlockEncryptionKey {
  private cipher: Promise<BlockDataCipher> | null = null;

  constructor(
    private readonly configuration: ConfigurationRepository,
    @Optional() @InjectSettings() private readonly settings?: Settings,
  ) {}

  get(): Promise<BlockDataCipher> {
    this.cipher ??= this.load().catch((error: unknown) => {
      this.cipher = null; // a failed read (database down) is retried by the next request
      throw error;
    });
    return this.cipher;
  }

  private async load(): Promise<BlockDataCipher> {
    const external = await externalBlockKey(this.settings);
    if (external !== null) {
      const stored = storedBlockKey(await this.configuration.get(BLOCK_ENCRYPTION_KEY_NAME));
      return new BlockDataCipher(external, { external: true, readKeys: stored === null ? [] : [stored] });
    }
    const value = await this.configuration.getOrInsert(BLOCK_ENCRYPTION_KEY_NAME, {
      key: BlockDataCipher.generateKey(),
    });
    const key = storedBlockKey(value);
    if (key === null) throw new Error(`configuration ${BLOCK_ENCRYPTION_KEY_NAME} holds no key`);
    return new BlockDataCipher(key);
  }
}
