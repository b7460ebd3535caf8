import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../persistence.tokens';

/** Upstream's `configuration` key of the server default result storage. */
export const SERVER_DEFAULT_RESULT_STORAGE_KEY = 'server-default-result-storage';

export type ResultStorageUpdate = 'updated' | 'block-document-not-found' | 'not-a-storage-block';

/*
 * The server default result storage block (`/admin/storage`), stored like upstream as
 * `{"default_result_storage_block_id": …}` under one `configuration` key. Serving indexes:
 * uq_configuration__key, pk_block_document, pk_block_schema.
 */
const SQL = {
  // A default whose block document is gone (deleted with its document, schema or type, which
  // upstream clears in those deletes) reads as no default.
  read: `SELECT block_document.id FROM configuration
      JOIN block_document ON block_document.id::text = configuration.value->>'default_result_storage_block_id'
      WHERE configuration.key = $1`,
  // The block document must exist and its schema declare the `write-path` capability.
  check: `SELECT coalesce(block_schema.capabilities @> '["write-path"]'::jsonb, false) AS writable
      FROM block_document LEFT JOIN block_schema ON block_schema.id = block_document.block_schema_id
      WHERE block_document.id = $1`,
  write: `INSERT INTO configuration (key, value) VALUES ($1, $2::jsonb)
      ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated = now()`,
  clear: `DELETE FROM configuration WHERE key = $1`,
} as const;

@Injectable()
export class ResultStorageDefaultRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** The configured block document id, or null. */
  async read(): Promise<string | null> {
    const [row] = (await this.dataSource.query(SQL.read, [SERVER_DEFAULT_RESULT_STORAGE_KEY])) as {
      id: string | null;
    }[];
    return row?.id ?? null;
  }

  /** Points the default at a block document that can store results. */
  async set(blockDocumentId: string): Promise<ResultStorageUpdate> {
    return this.dataSource.transaction(async (manager) => {
      const [block] = (await manager.query(SQL.check, [blockDocumentId])) as { writable: boolean }[];
      if (block === undefined) return 'block-document-not-found';
      if (!block.writable) return 'not-a-storage-block';
      await manager.query(SQL.write, [
        SERVER_DEFAULT_RESULT_STORAGE_KEY,
        JSON.stringify({ default_result_storage_block_id: blockDocumentId }),
      ]);
      return 'updated';
    });
  }

  async clear(): Promise<void> {
    await this.dataSource.query(SQL.clear, [SERVER_DEFAULT_RESULT_STORAGE_KEY]);
  }
}
