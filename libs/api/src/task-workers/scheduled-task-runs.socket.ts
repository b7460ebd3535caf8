import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { type BusMessage, type ConsumerHandle, MessageBus } from '@orrery/bus';
import {
  BackgroundTaskRunRepository,
  TaskRunRepository,
  type TaskRunQueueMessage,
  taskRunQueueOutboxMessage,
  taskRunQueueTopic,
} from '@orrery/persistence';
import type { RawData, WebSocket } from 'ws';
import { firstFrame } from '../events/prefect-socket.handshake';
import { WebSocketUpgradeRouter } from '../events/websocket-upgrade.router';
import { taskRunResponse } from '../task-runs/task-run.serializer';
import { TaskWorkerTracker } from './task-worker.tracker';

/** The consumer group every task worker's socket joins: each queued run goes to one of them. */
export const TASK_WORKERS_GROUP = 'task-workers';
/** Upstream's close code for a broken subscription protocol. */
export const WS_PROTOCOL_VIOLATION = 4001;
/**
 * How often a subscribed worker is marked as seen (`/task_workers/filter`). Pings are the upgrade
 * router's (`PREFECT_SERVER_API_WEBSOCKET_PING_INTERVAL`), which close a dead peer's socket.
 */
const SEEN_EVERY_MS = 5000;
/**
 * A run whose delivery failed (the worker went away before acknowledging it) stays pending in the
 * group and is taken by another worker after this long; the bus keeps it claimed while in flight.
 */
const REDELIVER_AFTER_MS = 5000;
/** Deliveries of one queued run before the bus gives up on it (it stays SCHEDULED in the database). */
const MAX_DELIVERIES = 10;

class SocketClosedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SocketClosedError';
  }
}

function queueMessage(data: unknown): TaskRunQueueMessage {
  const m = data as Partial<TaskRunQueueMessage> | null;
  if (
    typeof m !== 'object' ||
    m === null ||
    typeof m.task_run_id !== 'string' ||
    typeof m.task_key !== 'string'
  ) {
    throw new Error('not a task-run queue message');
  }
  return {
    task_run_id: m.task_run_id,
    task_key: m.task_key,
    state_id: typeof m.state_id === 'string' ? m.state_id : null,
    retry: m.retry === true,
  };
}

/**
 * One task worker's socket after its subscription: delivers one run at a time (send, then wait for
 * the worker's `{"type":"ack"}`), whichever of its task keys' consumers got it.
 */
class TaskWorkerSession {
  private readonly frames: RawData[] = [];
  private waiter: ((frame: RawData | null) => void) | null = null;
  private turn: Promise<void> = Promise.resolve();
  closed = false;

  constructor(
    private readonly socket: WebSocket,
    private readonly clientId: string,
    private readonly runs: TaskRunRepository,
    private readonly tracker: TaskWorkerTracker,
    /** The router's: parses a frame within the body bounds. */
    private readonly parseFrame: (data: RawData) => unknown,
  ) {
    socket.on('message', (data: RawData) => {
      if (this.waiter !== null) {
        const wake = this.waiter;
        this.waiter = null;
        wake(data);
      } else {
        this.frames.push(data);
      }
    });
    socket.once('close', () => {
      this.closed = true;
      this.waiter?.(null);
      this.waiter = null;
    });
  }

  /** Delivers a queued run; resolves once acknowledged (or when there is nothing to deliver any more). */
  deliver(message: TaskRunQueueMessage): Promise<void> {
    const next = this.turn.then(() => this.deliverNow(message));
    this.turn = next.catch(() => undefined);
    return next;
  }

  private async deliverNow(message: TaskRunQueueMessage): Promise<void> {
    if (this.closed) throw new SocketClosedError('the task worker disconnected');
    const run = await this.runs.get(message.task_run_id);
    // Stale entries are acknowledged and dropped: the run is gone, already taken, or queued again
    // under a newer SCHEDULED state (that entry delivers it).
    if (run === null || run.stateType !== 'SCHEDULED') return;
    if (message.state_id !== null && run.stateId !== message.state_id) return;
    if (this.closed) throw new SocketClosedError('the task worker disconnected');
    this.socket.send(JSON.stringify(taskRunResponse(run)));
    const frame = await this.nextFrame();
    if (frame === null) throw new SocketClosedError('the task worker disconnected before acknowledging');
    let type: unknown;
    try {
      type = (this.parseFrame(frame) as { type?: unknown } | null)?.type;
    } catch {
      type = undefined;
    }
    if (type === 'ack') {
      this.tracker.observe(this.clientId, [run.taskKey]);
      return;
    }
    // Not acknowledged: the run stays queued and goes to a worker that does.
    if (type === 'quit') this.socket.close(1000);
    else this.socket.close(WS_PROTOCOL_VIOLATION, "Protocol violation: expected 'ack' message");
    throw new SocketClosedError('the task worker did not acknowledge the run');
  }

  private nextFrame(): Promise<RawData | null> {
    const queued = this.frames.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }
}

/**
 * `WS /api/task_runs/subscriptions/scheduled` (spec-api §6, upstream `scheduled_task_subscription`):
 * the background-task worker protocol. After Prefect's auth handshake the worker sends
 * `{"type":"subscribe","keys":[task keys],"client_id":…}` (a missing type, keys or client_id closes
 * 4001); the server then sends each scheduled background run of those keys as a TaskRun JSON frame
 * and waits for `{"type":"ack"}` before the next (`quit` closes; anything else closes 4001).
 *
 * Unlike upstream's process-memory queue, the queue is the bus (one stream per task key, consumer
 * group `task-workers`, every socket a consumer of its keys): a run submitted through any replica
 * reaches a worker connected to any other, a run is acknowledged on the bus only after the worker
 * acknowledged it, and one whose worker vanished mid-delivery is re-delivered to another worker.
 * A subscription to a key the bus has never seen first queues the key's SCHEDULED background runs
 * from the database (an embedded server restarted, or a fresh Redis).
 */
@Injectable()
export class ScheduledTaskRunsSocket implements OnModuleInit {
  private readonly logger = new Logger(ScheduledTaskRunsSocket.name);

  constructor(
    private readonly router: WebSocketUpgradeRouter,
    private readonly bus: MessageBus,
    private readonly runs: TaskRunRepository,
    private readonly background: BackgroundTaskRunRepository,
    private readonly tracker: TaskWorkerTracker,
  ) {}

  onModuleInit(): void {
    this.router.register('/task_runs/subscriptions/scheduled', (socket) => void this.serve(socket));
  }

  private async serve(socket: WebSocket): Promise<void> {
    const first = await firstFrame(socket);
    if (first === null) return;

    const subscription = this.readSubscription(first);
    if (typeof subscription === 'string') {
      socket.close(WS_PROTOCOL_VIOLATION, subscription);
      return;
    }
    const { keys, clientId } = subscription;
    const session = new TaskWorkerSession(socket, clientId, this.runs, this.tracker, (data) =>
      this.router.parseFrame(data),
    );
    const release = this.tracker.connect(clientId, keys);
    const consumers: ConsumerHandle[] = [];
    const keepalive = setInterval(() => {
      if (session.closed) return;
      this.tracker.observe(clientId, []);
    }, SEEN_EVERY_MS);
    const finished = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    this.logger.log(`task worker ${JSON.stringify(clientId)} subscribed to ${keys.length} task key(s)`);
    try {
      await this.catchUp(keys);
      if (!session.closed) {
        for (const key of keys) {
          consumers.push(
            this.bus.consume<TaskRunQueueMessage>({
              kind: 'single',
              topic: taskRunQueueTopic(key),
              group: TASK_WORKERS_GROUP,
              validate: queueMessage,
              tuning: { minIdleMs: REDELIVER_AFTER_MS, maxDeliveries: MAX_DELIVERIES },
              handle: (message: BusMessage<TaskRunQueueMessage>) => session.deliver(message.data),
            }),
          );
        }
      }
      await finished;
    } catch (error) {
      this.logger.error(`task-run subscription failed: ${String(error)}`);
      if (!session.closed) socket.close(1011, 'Subscription failed');
    } finally {
      clearInterval(keepalive);
      release();
      await Promise.all(consumers.map((c) => c.stop()));
    }
  }

  private readSubscription(frame: RawData): { keys: string[]; clientId: string } | string {
    let message: unknown;
    try {
      message = this.router.parseFrame(frame);
    } catch {
      message = null;
    }
    const m = message as { type?: unknown; keys?: unknown; client_id?: unknown } | null;
    if (typeof m !== 'object' || m === null || m.type !== 'subscribe') {
      return "Protocol violation: expected 'subscribe' message";
    }
    const keys = Array.isArray(m.keys) ? m.keys.filter((k): k is string => typeof k === 'string') : [];
    if (keys.length === 0) return "Protocol violation: expected 'keys' in subscribe message";
    if (typeof m.client_id !== 'string' || m.client_id === '') {
      return "Protocol violation: expected 'client_id' in subscribe message";
    }
    return { keys: [...new Set(keys)], clientId: m.client_id };
  }

  /**
   * Keys the bus has no stream for (it never queued a run of them: a restarted embedded server,
   * an emptied Redis) get their SCHEDULED background runs from the database. Keys with a stream
   * hold every run queued since; reading them again would deliver runs twice. Queued under the
   * same de-duplication key as orchestration uses, so concurrent subscribers queue a run once.
   */
  private async catchUp(keys: readonly string[]): Promise<void> {
    const fresh: string[] = [];
    for (const key of keys) {
      const topic = await this.bus.describe(taskRunQueueTopic(key));
      if (!topic.exists) fresh.push(key);
    }
    if (fresh.length === 0) return;
    const scheduled = await this.background.scheduled(fresh);
    const byKey = new Map<string, typeof scheduled>();
    for (const run of scheduled) byKey.set(run.taskKey, [...(byKey.get(run.taskKey) ?? []), run]);
    for (const [key, runs] of byKey) {
      const messages = runs.map((run) => taskRunQueueOutboxMessage(run, run.stateId, false));
      await this.bus.publishMany(
        taskRunQueueTopic(key),
        messages.map((m) => ({ data: m.data, attributes: m.attributes })),
        { dedupeBy: 'id' },
      );
    }
    if (scheduled.length > 0) {
      this.logger.log(`queued ${scheduled.length} scheduled background task run(s) found in the database`);
    }
  }
}
