import { Inject, Injectable } from '@nestjs/common';
import { uuid7 } from '@orrery/domain';
import { DataSource } from 'typeorm';
import type { TransactionSql } from '../orchestration/statement-batch';
import { DATA_SOURCE } from '../persistence.tokens';

/** A message to publish if and only if the surrounding transaction commits. */
export interface OutboxMessage {
  readonly topic: string;
  readonly data: unknown;
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface OutboxRow extends OutboxMessage {
  readonly id: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/*
 * The transactional outbox. Serving index: ix_outbox__unpublished (created) WHERE published_at IS NULL,
 * which stays tiny because the fast path marks rows published right after commit.
 */
const SQL = {
  insert: `INSERT INTO outbox (id, topic, data, attributes)
      SELECT m.id, m.topic, m.data, m.attributes
      FROM jsonb_to_recordset($1::jsonb) AS m(id uuid, topic text, data jsonb, attributes jsonb)`,
  markPublished: `UPDATE outbox SET published_at = now(), updated = now() WHERE id = ANY($1::uuid[])`,
  claimUnpublished: `SELECT id, topic, data, attributes FROM outbox
      WHERE published_at IS NULL AND created < now() - make_interval(secs => $1)
      ORDER BY created
      LIMIT $2
      FOR UPDATE SKIP LOCKED`,
  deletePublished: `DELETE FROM outbox WHERE id IN (
      SELECT id FROM outbox WHERE published_at < now() - make_interval(secs => $1) LIMIT $2)`,
} as const;

@Injectable()
export class OutboxRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * Adds messages to the caller's transaction: one batched write however many there are, sent with
   * the transaction's other batched writes. Returns the rows as they will be published (data as
   * JSON, exactly what is stored).
   */
  async add(tx: TransactionSql, messages: readonly OutboxMessage[]): Promise<OutboxRow[]> {
    if (messages.length === 0) return [];
    const json = JSON.stringify(
      messages.map((m) => ({
        id: uuid7(),
        topic: m.topic,
        data: m.data ?? null,
        attributes: m.attributes ?? {},
      })),
    );
    await tx.write(SQL.insert, [json]);
    return JSON.parse(json) as OutboxRow[];
  }

  async markPublished(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.dataSource.query(SQL.markPublished, [ids]);
  }

  /**
   * Hands rows still unpublished `minAgeSeconds` after they were written to `publish`, holding their
   * row locks (other relays skip them) and marking them published only if `publish` resolves.
   * Returns how many rows were published.
   */
  claimUnpublished(
    minAgeSeconds: number,
    limit: number,
    publish: (rows: OutboxRow[]) => Promise<void>,
  ): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(SQL.claimUnpublished, [minAgeSeconds, limit])) as OutboxRow[];
      if (rows.length === 0) return 0;
      await publish(rows);
      await manager.query(SQL.markPublished, [rows.map((r) => r.id)]);
      return rows.length;
    });
  }

  /** Forgets rows published more than `ageSeconds` ago, one batch; returns how many went. */
  async deletePublished(ageSeconds: number, batchSize: number): Promise<number> {
    const [, affected] = (await this.dataSource.query(SQL.deletePublished, [ageSeconds, batchSize])) as [
      unknown,
      unknown,
    ];
    if (typeof affected !== 'number')
      throw new Error('the database driver did not report how many rows a DELETE removed');
    return affected;
  }
}
