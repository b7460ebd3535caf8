import { randomUUID } from 'node:crypto';
import { Instant, type State, type StateCreate, uuid7 } from '@orrery/domain';
import {
  type OrchestrationParameters,
  type OrchestrationPolicy,
  type OrchestrationPorts,
  type OrchestrationResult,
  type OrchestrationSettings,
  orchestrate,
  UnlimitedConcurrencyAdapter,
} from '@orrery/orchestration';
import type { EntityManager } from 'typeorm';
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
import { FlowRunEventsAdapter } from './flow-run-events.adapter';
import type { RelatedObjectsCache } from './related-objects.cache';
import { runChangesUpdate } from './run-changes.sql';
import { RunStateStore } from './run-state.store';
import { TaskCacheStore } from './task-cache.store';
import { OutboxTaskRunQueue } from './task-run-queue';

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
  // Lock with a statement of its own, then read with a new one: under READ COMMITTED a SELECT that
  // waited for the lock re-checks only the locked row, so a joined current state would be the one
  // of its (older) snapshot — two racing PENDING claims would both see SCHEDULED.
  lockFlowRun: `SELECT id FROM flow_run WHERE id = $1 FOR UPDATE`,
  readFlowRun: `SELECT ${FLOW_RUN_COLUMNS} FROM flow_run ${FLOW_RUN_JOINS} WHERE flow_run.id = $1`,
  lockTaskRun: `SELECT id FROM task_run WHERE id = $1 FOR UPDATE`,
  readTaskRun: `SELECT ${TASK_RUN_COLUMNS} FROM task_run ${TASK_RUN_JOINS} WHERE task_run.id = $1`,
  insertFlowRun: `INSERT INTO flow_run (id, name, flow_id, flow_version, parameters, context, parent_task_run_id,
        infrastructure_document_id, empirical_policy, tags, labels, idempotency_key, work_queue_id,
        work_queue_name, job_variables, deployment_id, created_by, deployment_version)
      VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8, $9::jsonb, $10::jsonb, $11::jsonb, $12, $13, $14, $15::jsonb, $16, $17::jsonb, $18)
      ON CONFLICT (flow_id, idempotency_key) DO NOTHING
      RETURNING id`,
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
  flowLabels: `SELECT labels FROM flow WHERE id = $1`,
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
 * One orchestrating transaction (spec-api §4.1): locks runs (`SELECT … FOR UPDATE`), runs the
 * engine with ports bound to this transaction, writes each result's `runChanges` with one UPDATE,
 * and collects state events into the outbox of the same transaction. Create with the
 * `(manager, emit)` of `OutboxPublisher.transaction`; never use it after that transaction ends.
 *
 * Deployment and tag concurrency answer "no limit" (UnlimitedConcurrencyAdapter) until the
 * Deployments / Concurrency issues bring their repositories and lease store.
 */
export class OrchestrationUnit {
  readonly ports: OrchestrationPorts;
  /** The parameters of the request being orchestrated; nested orchestrations (parent task runs) reuse them. */
  private params: OrchestrationParameters = { apiVersion: null, clientVersion: null };

  constructor(
    private readonly manager: EntityManager,
    emit: (message: OutboxMessage) => void,
    private readonly settings?: OrchestrationSettings,
    relatedObjects?: RelatedObjectsCache,
  ) {
    const concurrency = new UnlimitedConcurrencyAdapter();
    this.ports = {
      clock: { now: () => Instant.now() },
      ids: { uuid7, uuid4: () => randomUUID() },
      random: Math.random,
      states: new RunStateStore(manager),
      taskCache: new TaskCacheStore(manager),
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
      leases: concurrency,
      events: new FlowRunEventsAdapter(manager, emit, relatedObjects),
      // Deferred runs are queued on the bus through this transaction's outbox (after commit).
      taskQueue: new OutboxTaskRunQueue(emit),
    };
  }

  /** `SELECT … FOR UPDATE` the run, then reads it (with its current state) as committed now. */
  async lockFlowRun(id: string): Promise<FlowRunRecord | null> {
    const locked = (await this.manager.query(SQL.lockFlowRun, [id])) as unknown[];
    return locked.length === 0 ? null : this.readFlowRun(id);
  }

  async readFlowRun(id: string): Promise<FlowRunRecord | null> {
    const [row] = (await this.manager.query(SQL.readFlowRun, [id])) as FlowRunRow[];
    return row === undefined ? null : toFlowRunRecord(row);
  }

  async lockTaskRun(id: string): Promise<TaskRunRecord | null> {
    const locked = (await this.manager.query(SQL.lockTaskRun, [id])) as unknown[];
    if (locked.length === 0) return null;
    const [row] = (await this.manager.query(SQL.readTaskRun, [id])) as TaskRunRow[];
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

  /** Inserts the run, or finds the one with the same `(flow_id, idempotency_key)`. */
  async insertFlowRun(run: NewFlowRun): Promise<{ id: string; created: boolean }> {
    const inserted = (await this.manager.query(SQL.insertFlowRun, [
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
    ])) as { id: string }[];
    if (inserted[0] !== undefined) return { id: inserted[0].id, created: true };
    const [existing] = (await this.manager.query(SQL.flowRunByIdempotencyKey, [
      run.flowId,
      run.idempotencyKey,
    ])) as { id: string }[];
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
        (await this.manager.query(SQL.taskRunByKeys, [run.flowRunId, run.taskKey, run.dynamicKey])) as {
          id: string;
        }[]
      )[0];
    if (run.flowRunId === null) {
      const existing = await byKeys();
      if (existing !== undefined) return { id: existing.id, created: false };
    }
    const inserted = (await this.manager.query(SQL.insertTaskRun, [
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
    ])) as { id: string }[];
    if (inserted[0] !== undefined) return { id: inserted[0].id, created: true };
    const existing =
      (await byKeys()) ?? ((await this.manager.query(SQL.taskRunById, [run.id])) as { id: string }[])[0];
    if (existing === undefined) throw new Error('task run vanished while being created');
    return { id: existing.id, created: false };
  }

  /** A flow's labels; undefined when there is no such flow. */
  async flowLabels(flowId: string): Promise<Labels | null | undefined> {
    return this.labelsOf(SQL.flowLabels, flowId);
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
    const [pool] = (await this.manager.query(SQL.poolByName, [poolName])) as {
      id: string;
      default_queue_id: string | null;
    }[];
    if (pool === undefined) return { missingPool: poolName };
    if (queueName === null) return { id: pool.default_queue_id };
    const [queue] = (await this.manager.query(SQL.queueInPool, [pool.id, queueName])) as { id: string }[];
    return { id: queue?.id ?? null };
  }

  async flowRunInput(flowRunId: string, key: string): Promise<string | null> {
    const [row] = (await this.manager.query(SQL.flowRunInput, [flowRunId, key])) as { value: string }[];
    return row?.value ?? null;
  }

  async insertFlowRunInput(
    flowRunId: string,
    key: string,
    value: string,
    sender: string | null,
  ): Promise<void> {
    await this.manager.query(SQL.insertFlowRunInput, [flowRunId, key, value, sender]);
  }

  private async labelsOf(sql: string, id: string): Promise<Labels | null | undefined> {
    const [row] = (await this.manager.query(sql, [id])) as { labels: Labels | null }[];
    return row === undefined ? undefined : row.labels;
  }

  private async writeChanges(kind: 'flow' | 'task', runId: string, changes: object): Promise<void> {
    const update = runChangesUpdate(kind, runId, changes);
    if (update !== null) await this.manager.query(update.sql, update.params);
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
    const failed = (await this.manager.query(SQL.failedTaskRunsOfFlowRun, [flowRunId])) as { id: string }[];
    for (const { id } of failed) {
      const run = await this.lockTaskRun(id);
      if (run === null) continue;
      await this.setTaskRunState(
        run,
        { type: 'SCHEDULED', name: 'AwaitingRetry', stateDetails: { scheduledTime } },
        { force: true, params },
      );
      await this.manager.query(SQL.resetTaskRunCount, [id]);
    }
    this.params = params;
  }
}
