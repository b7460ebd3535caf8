import { randomUUID } from 'node:crypto';
import { Instant, type State, type StateCreate, uuid7 } from '@orrery/domain';
import {
  type OrchestrationParameters,
  type OrchestrationPolicy,
  type OrchestrationPorts,
  type OrchestrationResult,
  type OrchestrationSettings,
  type ConcurrencyLeasePort,
  orchestrate,
} from '@orrery/orchestration';
import { MemoryLeaseStorage } from '@orrery/lease-storage';
import type { Labels } from '../repositories/flow.repository';
import {
  FLOW_RUN_COLUMNS,
  FLOW_RUN_JOINS,
  type FlowRunRecord,
  type FlowRunRow,
  toFlowRunRecord,
} from '../repositories/flow-run.records';
import type { OutboxMessage } from '../repositories/outbox.repository';
import {
  TASK_RUN_COLUMNS,
  TASK_RUN_JOINS,
  type TaskRunRecord,
  type TaskRunRow,
  toTaskRunRecord,
} from '../repositories/task-run.records';
import { ConcurrencyAdapter } from './concurrency.adapter';
import { FlowRunEventsAdapter } from './flow-run-events.adapter';
import type { RelatedObjectsCache } from './related-objects.cache';
import { runChangesUpdate } from './run-changes.sql';
import { RunStateStore } from './run-state.store';
import type { TransactionSql } from './statement-batch';
import { TaskCacheStore } from './task-cache.store';
import { OutboxTaskRunQueue } from './task-run-queue';

interface LockedFlowRunRow extends FlowRunRow {
  newest_state_timestamp: string | null;
}

/** The columns of a new flow run (`POST /flow_runs/`); state columns are written by orchestration. */
export interface NewFlowRun {
  id: string;
  name: string;
  flowId: string;
  flowVersion: string | null;
  parameters: Record<string, unknown>;
  context: Record<string, unknown>;
  parentTaskRunId: string | null;
  infrastructureDocumentId: string | null;
  /** FlowRunPolicy JSON. */
  empiricalPolicy: Record<string, unknown>;
  tags: string[];
  labels: Labels;
  idempotencyKey: string | null;
  workQueueId: string | null;
  workQueueName: string | null;
  jobVariables: Record<string, unknown> | null;
  deploymentId: string | null;
  createdBy: Record<string, unknown> | null;
  /** The deployment's `version` when the run is created from a deployment. */
  deploymentVersion?: string | null;
}

/** The columns of a new task run (`POST /task_runs/`). */
export interface NewTaskRun {
  id: string;
  name: string;
  flowRunId: string | null;
  taskKey: string;
  dynamicKey: string;
  cacheKey: string | null;
  cacheExpiration: Instant | null;
  taskVersion: string | null;
  /** TaskRunPolicy JSON. */
  empiricalPolicy: Record<string, unknown>;
  tags: string[];
  labels: Labels;
  taskInputs: Record<string, unknown>;
}

export interface SetStateOptions<K extends 'flow' | 'task'> {
  force: boolean;
  params: OrchestrationParameters;
  policy?: OrchestrationPolicy<K>;
}

/*
 * Statements of the orchestrating transaction. Serving indexes: pk_flow_run / pk_task_run (locks,
 * reads), uq_flow_run__flow_id_idempotency_key and uq_task_run__flow_run_id_task_key_dynamic_key
 * (idempotent creates), uq_work_pool__name and uq_work_queue__work_pool_id_name (queue
 * resolution), uq_flow_run_input__flow_run_id_key (run input), ix_task_run__flow_run_id.
 */
const SQL = {
  // Lock and read in one statement. Under READ COMMITTED a locking SELECT that waited for the
  // lock re-checks only the locked row: the joined current state stays the one of its (older)
  // snapshot, so two racing PENDING claims could both see SCHEDULED. The row's state_id is the new
  // one, though, so a joined state that is not the row's current state tells that the read must be
  // repeated (with a statement of its own, whose snapshot sees the committed state).
  lockAndReadFlowRun: `SELECT ${FLOW_RUN_COLUMNS},
        (SELECT max(s."timestamp") FROM flow_run_state s WHERE s.flow_run_id = flow_run.id) AS newest_state_timestamp
      FROM flow_run ${FLOW_RUN_JOINS} WHERE flow_run.id = $1 FOR NO KEY UPDATE OF flow_run`,
  readFlowRun: `SELECT ${FLOW_RUN_COLUMNS},
        (SELECT max(s."timestamp") FROM flow_run_state s WHERE s.flow_run_id = flow_run.id) AS newest_state_timestamp
      FROM flow_run ${FLOW_RUN_JOINS} WHERE flow_run.id = $1`,
  lockTaskRun: `SELECT id FROM task_run WHERE id = $1 FOR NO KEY UPDATE`,
  readTaskRun: `SELECT ${TASK_RUN_COLUMNS} FROM task_run ${TASK_RUN_JOINS} WHERE task_run.id = $1`,
  // The new row as the lock read would return it, from RETURNING: nobody else sees it before
  // commit, so there is nothing to lock or re-read. `flow_run` names the CTE so that the usual
  // columns and joins apply; a new run has no state rows yet.
  insertFlowRun: `WITH inserted AS (
      INSERT INTO flow_run (id, name, flow_id, flow_version, parameters, context, parent_task_run_id,
        infrastructure_document_id, empirical_policy, tags, labels, idempotency_key, work_queue_id,
        work_queue_name, job_variables, deployment_id, created_by, deployment_version)
      VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8, $9::jsonb, $10::jsonb, $11::jsonb, $12, $13, $14, $15::jsonb, $16, $17::jsonb, $18)
      ON CONFLICT (flow_id, idempotency_key) DO NOTHING
      RETURNING *
    )
    SELECT ${FLOW_RUN_COLUMNS}, NULL::timestamptz AS newest_state_timestamp
      FROM inserted flow_run ${FLOW_RUN_JOINS}`,
  flowRunByIdempotencyKey: `SELECT id FROM flow_run WHERE flow_id = $1 AND idempotency_key = $2`,
  insertTaskRun: `INSERT INTO task_run (id, name, flow_run_id, task_key, dynamic_key, cache_key, cache_expiration,
        task_version, empirical_policy, tags, labels, task_inputs)
      VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8, $9::jsonb, $10::jsonb, $11::jsonb, $12::jsonb)
      ON CONFLICT DO NOTHING
      RETURNING id`,
  taskRunByKeys: `SELECT id FROM task_run
      WHERE flow_run_id IS NOT DISTINCT FROM $1 AND task_key = $2 AND dynamic_key = $3
      ORDER BY created LIMIT 1`,
  taskRunById: `SELECT id FROM task_run WHERE id = $1`,
  flowLabels: `SELECT labels, name, tags FROM flow WHERE id = $1`,
  flowRunLabels: `SELECT labels FROM flow_run WHERE id = $1`,
  deploymentLabels: `SELECT labels FROM deployment WHERE id = $1`,
  poolByName: `SELECT id, default_queue_id FROM work_pool WHERE name = $1`,
  queueInPool: `SELECT id FROM work_queue WHERE work_pool_id = $1 AND name = $2`,
  failedTaskRunsOfFlowRun: `SELECT id FROM task_run WHERE flow_run_id = $1 AND state_type = 'FAILED'`,
  resetTaskRunCount: `UPDATE task_run SET run_count = 0, updated = now() WHERE id = $1`,
  flowRunInput: `SELECT value FROM flow_run_input WHERE flow_run_id = $1 AND key = $2`,
  insertFlowRunInput: `INSERT INTO flow_run_input (flow_run_id, key, value, sender) VALUES ($1, $2, $3, $4)`,
} as const;

/**
 * One orchestrating transaction (spec-api §4.1): locks runs (`SELECT … FOR NO KEY UPDATE`), runs the
 * engine with ports bound to this transaction, writes each result's `runChanges` with one UPDATE,
 * and collects state events into the outbox of the same transaction. Create with the `(tx, emit)`
 * of `OutboxPublisher.transaction`; never use it after that transaction ends. Its writes (state
 * rows, run updates, cache entries) are batched in `tx` and reach the database with the outbox rows
 * in one statement; its reads flush them first.
 *
 * Deployment and tag concurrency read and take slots on `concurrency_limit_v2` rows in this
 * transaction (ConcurrencyAdapter); leases go to `leases`, the process's lease store (the in-process
 * one when none is given).
 */
export class OrchestrationUnit {
  readonly ports: OrchestrationPorts;
  private readonly states: RunStateStore;
  /** Flows read by `flowLabels` in this transaction: a new run of one knows its related objects. */
  private readonly flows = new Map<string, { name: string; tags: string[] }>();
  /** The parameters of the request being orchestrated; nested orchestrations (parent task runs) reuse them. */
  private params: OrchestrationParameters = { apiVersion: null, clientVersion: null };

  constructor(
    private readonly sql: TransactionSql,
    emit: (message: OutboxMessage) => void,
    private readonly settings?: OrchestrationSettings,
    private readonly relatedObjects?: RelatedObjectsCache,
    leases: ConcurrencyLeasePort = MemoryLeaseStorage.processDefault(),
  ) {
    const concurrency = new ConcurrencyAdapter(sql.manager, settings);
    this.states = new RunStateStore(sql);
    this.ports = {
      clock: { now: () => Instant.now() },
      ids: { uuid7, uuid4: () => randomUUID() },
      random: Math.random,
      states: this.states,
      taskCache: new TaskCacheStore(sql),
      flowRuns: {
        readFlowRun: async (flowRunId) => {
          const run = await this.readFlowRun(flowRunId);
          return run === null ? null : { id: run.id, runCount: run.runCount, state: run.state };
        },
        retryFailedTaskRunsOfFlowRun: (flowRunId, scheduledTime) =>
          this.retryFailedTaskRuns(flowRunId, scheduledTime),
      },
      parentTaskRuns: {
        forceSetTaskRunState: (taskRunId, state) => this.mirrorOnParentTaskRun(taskRunId, state),
      },
      deployments: concurrency,
      tagLimits: concurrency,
      slots: concurrency,
      leases,
      events: new FlowRunEventsAdapter(sql, emit, relatedObjects),
      // Deferred runs are queued on the bus through this transaction's outbox (after commit).
      taskQueue: new OutboxTaskRunQueue(emit),
    };
  }

  /** Locks the run (`FOR NO KEY UPDATE`) and reads it with its current state as committed now. */
  async lockFlowRun(id: string): Promise<FlowRunRecord | null> {
    const [row] = await this.sql.query<LockedFlowRunRow>(SQL.lockAndReadFlowRun, [id]);
    if (row === undefined) return null;
    if (row.state_id === row.state__id) return this.lockedFlowRun(row);
    // Waited for a transaction that changed the state: read again, the lock is ours now.
    const [fresh] = await this.sql.query<LockedFlowRunRow>(SQL.readFlowRun, [id]);
    return fresh === undefined ? null : this.lockedFlowRun(fresh);
  }

  async readFlowRun(id: string): Promise<FlowRunRecord | null> {
    const [row] = await this.sql.query<LockedFlowRunRow>(SQL.readFlowRun, [id]);
    return row === undefined ? null : toFlowRunRecord(row);
  }

  async lockTaskRun(id: string): Promise<TaskRunRecord | null> {
    const locked = await this.sql.query(SQL.lockTaskRun, [id]);
    if (locked.length === 0) return null;
    const [row] = await this.sql.query<TaskRunRow>(SQL.readTaskRun, [id]);
    return row === undefined ? null : toTaskRunRecord(row);
  }

  /** Runs a flow-run transition and writes its run changes; the caller holds the run's lock. */
  async setFlowRunState(
    run: FlowRunRecord,
    proposed: StateCreate,
    options: SetStateOptions<'flow'>,
  ): Promise<OrchestrationResult<'flow'>> {
    this.params = options.params;
    const result = await orchestrate({
      kind: 'flow',
      run,
      initialState: run.state,
      proposed,
      force: options.force,
      params: options.params,
      ports: this.ports,
      ...(this.settings === undefined ? {} : { settings: this.settings }),
      ...(options.policy === undefined ? {} : { policy: options.policy }),
    });
    await this.writeChanges('flow', run.id, result.runChanges);
    return result;
  }

  /**
   * The run as a read after `setFlowRunState` would return it, without the read: the record read
   * under the lock with the run changes and the new state applied. Null when only a read can tell:
   * no new state, or one with result data (reads return its artifact's data).
   */
  flowRunAfter(before: FlowRunRecord, result: OrchestrationResult<'flow'>): FlowRunRecord | null {
    const state = result.newState;
    if (state === null || (state.data !== null && state.data !== undefined)) return null;
    return { ...before, ...result.runChanges, state };
  }

  /** Runs a task-run transition and writes its run changes; the caller holds the run's lock. */
  async setTaskRunState(
    run: TaskRunRecord,
    proposed: StateCreate,
    options: SetStateOptions<'task'>,
  ): Promise<OrchestrationResult<'task'>> {
    this.params = options.params;
    const result = await orchestrate({
      kind: 'task',
      run,
      initialState: run.state,
      proposed,
      force: options.force,
      params: options.params,
      ports: this.ports,
      ...(this.settings === undefined ? {} : { settings: this.settings }),
      ...(options.policy === undefined ? {} : { policy: options.policy }),
    });
    await this.writeChanges('task', run.id, result.runChanges);
    return result;
  }

  /**
   * Inserts the run, or finds the one with the same `(flow_id, idempotency_key)`. A new run comes
   * back whole (`record`), ready for `setFlowRunState` without `lockFlowRun`: no other transaction
   * can see it before this one commits.
   */
  async insertFlowRun(
    run: NewFlowRun,
  ): Promise<{ id: string; created: true; record: FlowRunRecord } | { id: string; created: false }> {
    const inserted = await this.sql.query<LockedFlowRunRow>(SQL.insertFlowRun, [
      run.id,
      run.name,
      run.flowId,
      run.flowVersion,
      JSON.stringify(run.parameters),
      JSON.stringify(run.context),
      run.parentTaskRunId,
      run.infrastructureDocumentId,
      JSON.stringify(run.empiricalPolicy),
      JSON.stringify(run.tags),
      JSON.stringify(run.labels),
      run.idempotencyKey,
      run.workQueueId,
      run.workQueueName,
      run.jobVariables === null ? null : JSON.stringify(run.jobVariables),
      run.deploymentId,
      run.createdBy === null ? null : JSON.stringify(run.createdBy),
      run.deploymentVersion ?? null,
    ]);
    if (inserted[0] !== undefined) {
      // A run of a flow read in this transaction, with no deployment, queue or parent task run:
      // its state events' related objects are known without reading them.
      const flow = this.flows.get(run.flowId);
      if (
        flow !== undefined &&
        run.deploymentId === null &&
        run.workQueueId === null &&
        run.parentTaskRunId === null
      ) {
        this.relatedObjects?.set(run.id, {
          flow: { id: run.flowId, name: flow.name, tags: flow.tags },
          deployment: null,
          workQueue: null,
          workPool: null,
          parentTaskRun: null,
        });
      }
      return { id: inserted[0].id, created: true, record: this.lockedFlowRun(inserted[0]) };
    }
    const [existing] = await this.sql.query<{ id: string }>(SQL.flowRunByIdempotencyKey, [
      run.flowId,
      run.idempotencyKey,
    ]);
    if (existing === undefined) throw new Error('flow run vanished while being created');
    return { id: existing.id, created: false };
  }

  /**
   * Inserts the task run, or finds the one with the same `(flow_run_id, task_key, dynamic_key)`
   * (rows without a flow run included, which the unique index does not cover) or the same id.
   */
  async insertTaskRun(run: NewTaskRun): Promise<{ id: string; created: boolean }> {
    const byKeys = async () =>
      (
        await this.sql.query<{ id: string }>(SQL.taskRunByKeys, [run.flowRunId, run.taskKey, run.dynamicKey])
      )[0];
    if (run.flowRunId === null) {
      const existing = await byKeys();
      if (existing !== undefined) return { id: existing.id, created: false };
    }
    const inserted = await this.sql.query<{ id: string }>(SQL.insertTaskRun, [
      run.id,
      run.name,
      run.flowRunId,
      run.taskKey,
      run.dynamicKey,
      run.cacheKey,
      run.cacheExpiration?.toISOString() ?? null,
      run.taskVersion,
      JSON.stringify(run.empiricalPolicy),
      JSON.stringify(run.tags),
      JSON.stringify(run.labels),
      JSON.stringify(run.taskInputs),
    ]);
    if (inserted[0] !== undefined) return { id: inserted[0].id, created: true };
    const existing = (await byKeys()) ?? (await this.sql.query<{ id: string }>(SQL.taskRunById, [run.id]))[0];
    if (existing === undefined) throw new Error('task run vanished while being created');
    return { id: existing.id, created: false };
  }

  /** A flow's labels; undefined when there is no such flow. */
  async flowLabels(flowId: string): Promise<Labels | null | undefined> {
    const [row] = await this.sql.query<{ labels: Labels | null; name: string; tags: string[] }>(
      SQL.flowLabels,
      [flowId],
    );
    if (row === undefined) return undefined;
    this.flows.set(flowId, { name: row.name, tags: row.tags });
    return row.labels;
  }

  async flowRunLabels(flowRunId: string): Promise<Labels | null | undefined> {
    return this.labelsOf(SQL.flowRunLabels, flowRunId);
  }

  async deploymentLabels(deploymentId: string): Promise<Labels | null | undefined> {
    return this.labelsOf(SQL.deploymentLabels, deploymentId);
  }

  /**
   * `work_pool_name` / `work_queue_name` of a new flow run → a queue id: a pool alone means its
   * default queue. `{ missingPool }` when the pool does not exist; `{ id: null }` when the pool
   * lacks the named queue.
   */
  async resolveWorkQueue(
    poolName: string,
    queueName: string | null,
  ): Promise<{ id: string | null } | { missingPool: string }> {
    const [pool] = await this.sql.query<{ id: string; default_queue_id: string | null }>(SQL.poolByName, [
      poolName,
    ]);
    if (pool === undefined) return { missingPool: poolName };
    if (queueName === null) return { id: pool.default_queue_id };
    const [queue] = await this.sql.query<{ id: string }>(SQL.queueInPool, [pool.id, queueName]);
    return { id: queue?.id ?? null };
  }

  async flowRunInput(flowRunId: string, key: string): Promise<string | null> {
    const [row] = await this.sql.query<{ value: string }>(SQL.flowRunInput, [flowRunId, key]);
    return row?.value ?? null;
  }

  async insertFlowRunInput(
    flowRunId: string,
    key: string,
    value: string,
    sender: string | null,
  ): Promise<void> {
    await this.sql.write(SQL.insertFlowRunInput, [flowRunId, key, value, sender]);
  }

  private lockedFlowRun(row: LockedFlowRunRow): FlowRunRecord {
    this.states.noteNewestFlowRunState(
      row.id,
      row.newest_state_timestamp === null ? null : Instant.parse(row.newest_state_timestamp),
    );
    return toFlowRunRecord(row);
  }

  private async labelsOf(sql: string, id: string): Promise<Labels | null | undefined> {
    const [row] = await this.sql.query<{ labels: Labels | null }>(sql, [id]);
    return row === undefined ? undefined : row.labels;
  }

  private async writeChanges(kind: 'flow' | 'task', runId: string, changes: object): Promise<void> {
    const update = runChangesUpdate(kind, runId, changes);
    if (update !== null) await this.sql.write(update.sql, update.params, `${kind}_run:${runId}`);
  }

  /**
   * UpdateSubflowParentTask: the parent task run mirrors the subflow's state, force-set through
   * the engine (MinimalTaskPolicy + global transforms) under its own row lock. A parent task run
   * that has vanished is skipped (its flow_run.parent_task_run_id is being SET NULL).
   */
  private async mirrorOnParentTaskRun(taskRunId: string, state: State): Promise<void> {
    const parent = await this.lockTaskRun(taskRunId);
    if (parent === null) return;
    await this.setTaskRunState(
      parent,
      {
        type: state.type,
        name: state.name,
        message: state.message,
        data: state.data,
        stateDetails: state.stateDetails,
      },
      { force: true, params: this.params },
    );
  }

  /** Legacy clients (API < 0.8.3): a retrying flow run puts its FAILED task runs back to AwaitingRetry. */
  private async retryFailedTaskRuns(flowRunId: string, scheduledTime: Instant): Promise<void> {
    const params = this.params;
    const failed = await this.sql.query<{ id: string }>(SQL.failedTaskRunsOfFlowRun, [flowRunId]);
    for (const { id } of failed) {
      const run = await this.lockTaskRun(id);
      if (run === null) continue;
      await this.setTaskRunState(
        run,
        { type: 'SCHEDULED', name: 'AwaitingRetry', stateDetails: { scheduledTime } },
        { force: true, params },
      );
      await this.sql.write(SQL.resetTaskRunCount, [id], `task_run:${id}`);
    }
    this.params = params;
  }
}
