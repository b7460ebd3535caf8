import { Injectable } from '@nestjs/common';
import { ConfigurationRepository } from '@orrery/persistence';
import { BlockDataCipher } from './block-data.cipher';

/** The `configuration` key holding the block data key (not Prefect's Fernet `ENCRYPTION_KEY`). */
export const BLOCK_ENCRYPTION_KEY_NAME = 'orrery-block-document-encryption-key';

/**
 * The cipher for block document data. The key is created on first use by whichever replica gets
 * there first (INSERT … ON CONFLICT DO NOTHING, then read), so every replica encrypts with the
 * same key; it is read once per process.
 */
@Injectable()
export class BlockEncryptionKey {
  private cipher: Promise<BlockDataCipher> | null = null;

  constructor(private readonly configuration: ConfigurationRepository) {}

  get(): Promise<BlockDataCipher> {
    this.cipher ??= this.load().catch((error: unknown) => {
      this.cipher = null; // a failed read (database down) is retried by the next request
      throw error;
    });
    return this.cipher;
  }

  private async load(): Promise<BlockDataCipher> {
    const value = await this.configuration.getOrInsert(BLOCK_ENCRYPTION_KEY_NAME, {
      key: BlockDataCipher.generateKey(),
    });
    const key = (value as { key?: unknown } | null)?.key;
    if (typeof key !== 'string') throw new Error(`configuration ${BLOCK_ENCRYPTION_KEY_NAME} holds no key`);
    return new BlockDataCipher(key);
  }
}
