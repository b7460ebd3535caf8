import type {
  FlowRunEventsPort,
  FlowRunRelatedObjects,
  FlowRunStateChangeEvent,
} from '@orrery/orchestration';
import type { OutboxMessage } from '../repositories/outbox.repository';
import type { RelatedObjectsCache } from './related-objects.cache';
import type { TransactionSql } from './statement-batch';

/*
 * The related objects of a flow run's state events, in one statement: pk_flow_run, pk_flow,
 * pk_deployment, pk_work_queue, pk_work_pool, pk_task_run.
 */
const RELATED_SQL = `SELECT f.id AS flow_id, f.name AS flow_name, f.tags AS flow_tags,
    d.id AS deployment_id, d.name AS deployment_name, d.tags AS deployment_tags,
    q.id AS queue_id, q.name AS queue_name,
    p.id AS pool_id, p.name AS pool_name, p.type AS pool_type,
    t.id AS task_id, t.name AS task_name, t.tags AS task_tags
  FROM flow_run r
  JOIN flow f ON f.id = r.flow_id
  LEFT JOIN deployment d ON d.id = r.deployment_id
  LEFT JOIN work_queue q ON q.id = r.work_queue_id
  LEFT JOIN work_pool p ON p.id = q.work_pool_id
  LEFT JOIN task_run t ON t.id = r.parent_task_run_id
  WHERE r.id = $1`;

interface RelatedRow {
  flow_id: string;
  flow_name: string;
  flow_tags: string[];
  deployment_id: string | null;
  deployment_name: string | null;
  deployment_tags: string[] | null;
  queue_id: string | null;
  queue_name: string | null;
  pool_id: string | null;
  pool_name: string | null;
  pool_type: string | null;
  task_id: string | null;
  task_name: string | null;
  task_tags: string[] | null;
}

/** The topic every Prefect event travels on (spec-services §3). */
export const EVENTS_TOPIC = 'events';

/**
 * Flow-run state events (spec-services §3.2) go into the transactional outbox of the orchestrating
 * transaction: they are published if and only if the state change commits (at-least-once; the
 * event id is the new state's id, so consumers de-duplicate).
 */
export class FlowRunEventsAdapter implements FlowRunEventsPort {
  constructor(
    private readonly sql: TransactionSql,
    private readonly emitMessage: (message: OutboxMessage) => void,
    private readonly cache?: RelatedObjectsCache,
  ) {}

  async readRelatedObjects(flowRunId: string): Promise<FlowRunRelatedObjects> {
    const cached = this.cache?.get(flowRunId);
    if (cached !== undefined) return cached;
    // Flow, deployment, queue, pool and parent task run: nothing an orchestration writes.
    const [row] = await this.sql.queryAside<RelatedRow>(RELATED_SQL, [flowRunId]);
    if (row === undefined) {
      return { flow: null, deployment: null, workQueue: null, workPool: null, parentTaskRun: null };
    }
    const related = relatedFromRow(row);
    this.cache?.set(flowRunId, related);
    return related;
  }

  emit(event: FlowRunStateChangeEvent): Promise<void> {
    // JSON now: Instants become Prefect's ISO strings, and the outbox stores exactly what is published.
    const data = JSON.parse(JSON.stringify(event)) as unknown;
    this.emitMessage({ topic: EVENTS_TOPIC, data, attributes: { id: event.id, event: event.event } });
    return Promise.resolve();
  }
}

function relatedFromRow(row: RelatedRow): FlowRunRelatedObjects {
  return {
    flow: { id: row.flow_id, name: row.flow_name, tags: row.flow_tags },
    deployment:
      row.deployment_id === null
        ? null
        : { id: row.deployment_id, name: row.deployment_name ?? '', tags: row.deployment_tags ?? [] },
    workQueue: row.queue_id === null ? null : { id: row.queue_id, name: row.queue_name ?? '' },
    workPool:
      row.pool_id === null ? null : { id: row.pool_id, name: row.pool_name ?? '', type: row.pool_type ?? '' },
    parentTaskRun:
      row.task_id === null ? null : { id: row.task_id, name: row.task_name ?? '', tags: row.task_tags ?? [] },
  };
}
