import { Instant } from '@orrery/domain';
import { type ResourceLabels as Resource, serverEvent } from './server-event';
import type {
  OutboxMessage,
  WorkPoolRecord,
  WorkPoolStatus,
  WorkQueueRecord,
  WorkQueueStatus,
} from '@orrery/persistence';

/*
 * Events the server emits about work pools and queues (spec-services-events-ha §3.2), all through
 * the outbox of the writing transaction. Status events of a pool carry an id allocated before the
 * write (stored as `last_status_event_id`) and follow the previous status event when that one is
 * less than 10 minutes old, so the UI can chain them.
 */

const FOLLOWS_WINDOW_SECONDS = 10 * 60;

function poolResource(pool: { id: string; name: string; type: string }): Resource {
  return {
    'prefect.resource.id': `prefect.work-pool.${pool.id}`,
    'prefect.resource.name': pool.name,
    'prefect.work-pool.type': pool.type,
  };
}

function poolRelated(pool: { id: string; name: string; type: string }): Resource {
  return { ...poolResource(pool), 'prefect.resource.role': 'work-pool' };
}

function queueResource(queue: { id: string; name: string }): Resource {
  return { 'prefect.resource.id': `prefect.work-queue.${queue.id}`, 'prefect.resource.name': queue.name };
}

const STATUS_EVENT_SUFFIX: Record<WorkPoolStatus, string> = {
  READY: 'ready',
  NOT_READY: 'not-ready',
  PAUSED: 'paused',
};

/**
 * `prefect.work-pool.<status>` for a transition of `pool` (as it was before) under the
 * pre-allocated `eventId`; follows the pool's previous status event when it is recent.
 */
export function workPoolStatusEvent(
  pool: Pick<WorkPoolRecord, 'id' | 'name' | 'type' | 'lastTransitionedStatusAt' | 'lastStatusEventId'>,
  status: WorkPoolStatus,
  eventId: string,
  now: Instant = Instant.now(),
): OutboxMessage {
  const recent =
    pool.lastTransitionedStatusAt !== null &&
    now.secondsSince(pool.lastTransitionedStatusAt) < FOLLOWS_WINDOW_SECONDS;
  return serverEvent(
    `prefect.work-pool.${STATUS_EVENT_SUFFIX[status]}`,
    poolResource(pool),
    [],
    {},
    { id: eventId, follows: recent ? pool.lastStatusEventId : null, occurred: now },
  );
}

/** `prefect.work-queue.<status>`, related to the queue's pool. */
export function workQueueStatusEvent(
  queue: { id: string; name: string; workPoolId: string; workPoolName: string },
  poolType: string,
  status: WorkQueueStatus,
): OutboxMessage {
  return serverEvent(
    `prefect.work-queue.${STATUS_EVENT_SUFFIX[status]}`,
    queueResource(queue),
    [poolRelated({ id: queue.workPoolId, name: queue.workPoolName, type: poolType })],
    {},
  );
}

/** What changed in an update, as the `.updated` payloads carry it. */
export function changesPayload(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  fields: readonly string[],
): { updated_fields: string[]; updates: Record<string, { from: unknown; to: unknown }> } {
  const updates: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of fields) {
    if (JSON.stringify(before[field]) !== JSON.stringify(after[field]))
      updates[field] = { from: before[field] ?? null, to: after[field] ?? null };
  }
  return { updated_fields: Object.keys(updates), updates };
}

/** `prefect.work-pool.created|updated|deleted`, related to the pool's default queue. */
export function workPoolLifecycleEvent(
  action: 'created' | 'updated' | 'deleted',
  pool: { id: string; name: string; type: string; defaultQueueId: string | null },
  payload: Record<string, unknown> = {},
): OutboxMessage {
  const related: Resource[] =
    pool.defaultQueueId === null
      ? []
      : [
          {
            'prefect.resource.id': `prefect.work-queue.${pool.defaultQueueId}`,
            'prefect.resource.role': 'default-queue',
          },
        ];
  return serverEvent(`prefect.work-pool.${action}`, poolResource(pool), related, payload);
}

/** `prefect.work-queue.created|updated|deleted`, related to the queue's pool. */
export function workQueueLifecycleEvent(
  action: 'created' | 'updated' | 'deleted',
  queue: { id: string; name: string; workPoolId: string; workPoolName: string },
  poolType: string,
  payload: Record<string, unknown> = {},
): OutboxMessage {
  return serverEvent(
    `prefect.work-queue.${action}`,
    queueResource(queue),
    [poolRelated({ id: queue.workPoolId, name: queue.workPoolName, type: poolType })],
    payload,
  );
}

/** Events for what `WorkQueueRepository.resolve` created (for callers such as deployments). */
export function resolutionEvents(
  resolved: {
    createdPool: WorkPoolRecord | null;
    createdQueue: WorkQueueRecord | null;
    workPoolId: string;
    workPoolName: string;
  },
  poolType: string,
): OutboxMessage[] {
  const events: OutboxMessage[] = [];
  if (resolved.createdPool !== null) events.push(workPoolLifecycleEvent('created', resolved.createdPool));
  if (resolved.createdQueue !== null)
    events.push(workQueueLifecycleEvent('created', resolved.createdQueue, poolType));
  return events;
}
