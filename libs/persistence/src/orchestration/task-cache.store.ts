import type { Instant, State } from '@orrery/domain';
import type { TaskCachePort } from '@orrery/orchestration';
import { type RunStateRow, toStateRecord } from '../repositories/run-state.records';
import type { TransactionSql } from './statement-batch';

/*
 * Server-side task caching (CacheRetrieval / CacheInsertion). Serving index:
 * ix_task_run_state_cache__cache_key_created_desc (newest live entry of a key), then
 * pk_task_run_state and pk_artifact for the cached state and its result.
 */
const SQL = {
  newestLive: `SELECT s.id, s.type, s.name, s."timestamp", s.message, s.state_details, COALESCE(s.data, a.data) AS data
      FROM task_run_state_cache c
      JOIN task_run_state s ON s.id = c.task_run_state_id
      LEFT JOIN artifact a ON a.id = s.result_artifact_id
      WHERE c.cache_key = $1 AND (c.cache_expiration IS NULL OR c.cache_expiration > $2::timestamptz)
      ORDER BY c.created DESC
      LIMIT 1`,
  insert: `INSERT INTO task_run_state_cache (cache_key, cache_expiration, task_run_state_id)
      VALUES ($1, $2::timestamptz, $3)`,
} as const;

export class TaskCacheStore implements TaskCachePort {
  constructor(private readonly sql: TransactionSql) {}

  async findCachedState(cacheKey: string, now: Instant): Promise<State | null> {
    const [row] = await this.sql.query<RunStateRow>(SQL.newestLive, [cacheKey, now.toISOString()]);
    return row === undefined ? null : toStateRecord(row);
  }

  async insertCacheEntry(entry: {
    cacheKey: string;
    cacheExpiration: Instant | null;
    taskRunStateId: string;
  }): Promise<void> {
    await this.sql.write(SQL.insert, [
      entry.cacheKey,
      entry.cacheExpiration?.toISOString() ?? null,
      entry.taskRunStateId,
    ]);
  }
}
