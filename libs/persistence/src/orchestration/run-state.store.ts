import { type Instant, type State, stateDetailsToWire, uuid7 } from '@orrery/domain';
import { isPersistedResult, type RunKind, type StateStorePort } from '@orrery/orchestration';
import type { TransactionSql } from './statement-batch';
import { isRetryableDatabaseError } from '../retryable-database-error';

/*
 * State rows and result artifacts, inside the orchestrating transaction. Serving indexes:
 * uq_flow_run_state__flow_run_id_timestamp_desc (the timestamp check, and the insert's uniqueness).
 */
const SQL = {
  flowRunStateAt: `SELECT 1 FROM flow_run_state WHERE flow_run_id = $1 AND "timestamp" = $2::timestamptz`,
  insertArtifact: `INSERT INTO artifact (id, key, type, description, data, flow_run_id, task_run_id)
      VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)`,
  // As artifacts.create_artifact upstream: a keyed result artifact becomes its key's latest.
  upsertArtifactCollection: `INSERT INTO artifact_collection
        (id, key, latest_id, type, description, data, flow_run_id, task_run_id)
      VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)
      ON CONFLICT (key) DO UPDATE SET
        latest_id = EXCLUDED.latest_id, type = EXCLUDED.type, description = EXCLUDED.description,
        data = EXCLUDED.data, metadata_ = NULL, flow_run_id = EXCLUDED.flow_run_id,
        task_run_id = EXCLUDED.task_run_id, updated = now()`,
  insertFlowRunState: `INSERT INTO flow_run_state
      (id, flow_run_id, type, "timestamp", name, message, state_details, data, result_artifact_id)
      VALUES ($1, $2, $3::state_type, $4::timestamptz, $5, $6, $7::jsonb, $8::jsonb, $9)`,
  insertTaskRunState: `INSERT INTO task_run_state
      (id, task_run_id, type, "timestamp", name, message, state_details, data, result_artifact_id)
      VALUES ($1, $2, $3::state_type, $4::timestamptz, $5, $6, $7::jsonb, $8::jsonb, $9)`,
} as const;

/** The artifact fields a result record may carry; they describe the artifact and leave the data. */
const ARTIFACT_FIELDS = ['artifact_key', 'artifact_type', 'artifact_description'] as const;

/**
 * StateStorePort on one transaction (spec-api §3.1, §4.1 item 7). State rows and result artifacts
 * are batched writes: they reach the database with the run update and the outbox rows, in one
 * statement.
 */
export class RunStateStore implements StateStorePort {
  /**
   * Per flow run locked in this transaction: the newest state timestamp it has (null: none). A
   * proposed timestamp later than that cannot clash, so the uniqueness probe needs no query.
   */
  private readonly newestStateMicros = new Map<string, number | null>();

  constructor(private readonly sql: TransactionSql) {}

  /** What the lock read found: the run's newest state timestamp (the run row is locked from now on). */
  noteNewestFlowRunState(flowRunId: string, newest: Instant | null): void {
    this.newestStateMicros.set(flowRunId, newest === null ? null : newest.epochMicros);
  }

  async flowRunStateExistsAt(flowRunId: string, timestamp: Instant): Promise<boolean> {
    const newest = this.newestStateMicros.get(flowRunId);
    if (newest !== undefined && (newest === null || timestamp.epochMicros > newest)) return false;
    const rows = await this.sql.query(SQL.flowRunStateAt, [flowRunId, timestamp.toISOString()]);
    return rows.length > 0;
  }

  /**
   * Inserts the state row. A persisted result (`data` an object whose `type` is not
   * `unpersisted`) becomes a result artifact the row points at, and reads return the artifact's
   * data; other data (unpersisted results) is not stored, as in Prefect, whose `data` column is
   * legacy.
   */
  async insertState(
    kind: RunKind,
    runId: string,
    flowRunIdOfTask: string | null,
    state: State,
  ): Promise<void> {
    let artifactId: string | null = null;
    if (state.data !== null && state.data !== undefined && isPersistedResult(state.data)) {
      const data = { ...(state.data as Record<string, unknown>) };
      const described: Record<string, unknown> = {};
      for (const field of ARTIFACT_FIELDS) {
        described[field] = data[field] ?? null;
        delete data[field];
      }
      artifactId = uuid7();
      const row = [
        described['artifact_key'],
        described['artifact_type'],
        described['artifact_description'],
        JSON.stringify(data),
        kind === 'flow' ? runId : flowRunIdOfTask,
        kind === 'task' ? runId : null,
      ];
      await this.sql.write(SQL.insertArtifact, [artifactId, ...row]);
      const key = described['artifact_key'];
      if (typeof key === 'string') {
        await this.sql.write(
          SQL.upsertArtifactCollection,
          [uuid7(), key, artifactId, ...row.slice(1)],
          `artifact_collection:${key}`,
        );
      }
    }
    await this.sql.write(kind === 'flow' ? SQL.insertFlowRunState : SQL.insertTaskRunState, [
      state.id,
      runId,
      state.type,
      state.timestamp.toISOString(),
      state.name,
      state.message,
      JSON.stringify(stateDetailsToWire(state.stateDetails)),
      null,
      artifactId,
    ]);
    if (kind === 'flow' && this.newestStateMicros.has(runId)) {
      const newest = this.newestStateMicros.get(runId) ?? null;
      const micros = state.timestamp.epochMicros;
      this.newestStateMicros.set(runId, newest === null || micros > newest ? micros : newest);
    }
  }

  isRetryableError(error: unknown): boolean {
    return isRetryableDatabaseError(error);
  }
}
