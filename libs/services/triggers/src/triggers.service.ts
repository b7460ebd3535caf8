// triggers: evaluates automations against events (spec-services-events-ha §5). Consumer group
// `reactive-triggers` on `events` (replicas share the stream); each covering trigger is evaluated in
// one transaction that locks its bucket and, when it fires, writes the firing's event and
// TriggeredActions to the outbox — the firing and its publication commit together or not at all.
// Proactive evaluation is a periodic job (one replica per tick); every replica runs the 5-second
// housekeeping and LISTENs for automation changes.
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { AutomationRecord, Firing, TriggeringEvent } from '@orrery/automations';
import { type BusMessage, type ConsumerHandle, MessageBus } from '@orrery/bus';
import { InjectSettings, type Settings } from '@orrery/config';
import { PeriodicJob } from '@orrery/jobs';
import { type Emit, OutboxPublisher } from '@orrery/outbox';
import { recordTriggerEvents, recordTriggerFiring } from '@orrery/telemetry';
import {
  AUTOMATION_CHANGES_CHANNEL,
  AutomationBucketRepository,
  DATA_SOURCE,
  listenForNotifications,
  type NotificationListener,
} from '@orrery/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { AutomationCache } from './automation-cache';
import {
  EventArrivedEarly,
  inCausalOrder,
  inCausalOrderOnceFree,
  type OrderingStore,
  passThrough,
} from './causal-ordering';
import { DbTriggerStore } from './db-trigger-store';
import { type LoadedTrigger, proactiveEvaluation, reactiveEvaluation } from './evaluation';
import { EventsClock } from './events-clock';
import { firingMessages } from './firing-messages';
import { PRECEDING_EVENT_LOOKBACK_MS } from './trigger-logic';

export const TRIGGERS_GROUP = 'reactive-triggers';
export const ORDERING_STORE = Symbol('orrery:triggers:ordering');
export const HOUSEKEEPING_MS = 5000;
/** Parallel consume loops per replica (buckets are row-locked, so order between loops is safe). */
const CONCURRENCY = 4;

/** Accepts any event-shaped message. */
export function asTriggeringEvent(data: unknown): TriggeringEvent {
  const e = data as Partial<TriggeringEvent> | null;
  if (
    typeof e !== 'object' ||
    e === null ||
    typeof e.id !== 'string' ||
    typeof e.event !== 'string' ||
    typeof e.occurred !== 'string' ||
    typeof e.resource !== 'object'
  ) {
    throw new Error('not an event');
  }
  return {
    ...e,
    related: e.related ?? [],
    payload: e.payload ?? {},
    follows: e.follows ?? null,
    received: e.received ?? e.occurred,
  } as TriggeringEvent;
}

const isForeignKeyViolation = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as { code?: string }).code === '23503';

@Injectable()
export class TriggersService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('triggers');
  private consumer: ConsumerHandle | null = null;
  private listener: NotificationListener | null = null;
  private housekeeping: NodeJS.Timeout | null = null;
  private reconnect: NodeJS.Timeout | null = null;
  private stopping = false;
  private readonly nextProactiveRuns = new Map<string, number>();
  private housekeepingRun: Promise<void> | null = null;
  /** Aborted on shutdown: ends the waits for another consumer's claim or an event's leader. */
  private readonly shutdown = new AbortController();

  constructor(
    @InjectSettings() private readonly settings: Settings,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly bus: MessageBus,
    private readonly outbox: OutboxPublisher,
    private readonly cache: AutomationCache,
    private readonly buckets: AutomationBucketRepository,
    private readonly clock: EventsClock,
    @Inject(ORDERING_STORE) private readonly ordering: OrderingStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.cache.reconcile(true);
    await this.listen();
    this.consumer = this.bus.consume<TriggeringEvent>({
      kind: 'batch',
      topic: 'events',
      group: TRIGGERS_GROUP,
      validate: asTriggeringEvent,
      concurrency: CONCURRENCY,
      tuning: { readBatchSize: this.settings.server.services.triggers.readBatchSize },
      handle: (messages) => this.handleBatch(messages),
    });
    this.housekeeping = setInterval(() => {
      this.housekeepingRun ??= this.runHousekeeping().finally(() => (this.housekeepingRun = null));
    }, HOUSEKEEPING_MS);
    this.logger.log(`evaluating ${this.cache.size} automation(s)`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.housekeeping !== null) clearInterval(this.housekeeping);
    if (this.reconnect !== null) clearTimeout(this.reconnect);
    // The consumer is told first (`stop()` marks it stopping at once), so the handlers that the
    // abort ends leave their messages pending for another replica instead of failing them.
    const consumerStopped = this.consumer?.stop();
    this.shutdown.abort(new Error('the triggers service is stopping'));
    await consumerStopped;
    await this.housekeepingRun;
    await this.listener?.close();
    await this.ordering.close?.();
  }

  /**
   * One read of `events` (up to the read batch size): events no trigger covers are only marked seen
   * for causal ordering, all at once; the others are evaluated one after the other, in stream order.
   * A failure retries the messages one by one (the bus isolates the poison); evaluation is idempotent.
   */
  async handleBatch(messages: BusMessage<TriggeringEvent>[]): Promise<void> {
    const interesting: TriggeringEvent[] = [];
    const passing: Promise<void>[] = [];
    for (const { data: event } of messages) {
      if (event.event === 'prefect.log.write') continue;
      this.clock.update(Date.parse(event.occurred));
      if (this.cache.interested(event).length > 0) interesting.push(event);
      else passing.push(passThrough(this.ordering, event, (e) => this.evaluateEvent(e)));
    }
    recordTriggerEvents('evaluated', interesting.length);
    recordTriggerEvents('passed', passing.length);
    const passed = await Promise.allSettled(passing);
    for (const event of interesting) await this.handle(event);
    const failed = passed.find((p): p is PromiseRejectedResult => p.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  /**
   * One event that some trigger covers: evaluated in causal order, once no other consumer holds it
   * (a replica killed while evaluating it holds it until its claim expires). Shutdown ends the wait
   * with an error: the message stays pending.
   */
  async handle(event: TriggeringEvent): Promise<void> {
    try {
      await inCausalOrderOnceFree(this.ordering, event, (e) => this.evaluateEvent(e), this.shutdown.signal);
    } catch (error) {
      if (!(error instanceof EventArrivedEarly)) throw error;
    }
  }

  /** Reactive evaluation of one event: one transaction per covering trigger. */
  async evaluateEvent(event: TriggeringEvent): Promise<void> {
    for (const loaded of this.cache.interested(event)) {
      await this.inTransaction(loaded, (store, act) => reactiveEvaluation(store, loaded, event, act));
    }
  }

  /** Proactive evaluation (§5.3): one replica per tick evaluates the proactive triggers that are due. */
  @PeriodicJob('proactive-triggers', {
    everySeconds: (self: TriggersService) => self.settings.server.events.proactiveGranularity,
  })
  async evaluateProactively(): Promise<void> {
    const now = Date.now();
    for (const loaded of this.cache.all()) {
      if (loaded.trigger.posture !== 'Proactive') continue;
      if ((this.nextProactiveRuns.get(loaded.trigger.id) ?? now) > now) continue;
      try {
        const asOf = Date.now() + this.clock.offsetMs();
        const next = await this.inTransaction(loaded, (store, act) =>
          proactiveEvaluation(store, loaded, asOf, act),
        );
        if (next !== null) this.nextProactiveRuns.set(loaded.trigger.id, next);
      } catch (error) {
        this.logger.error(`proactive evaluation of trigger ${loaded.trigger.id} failed: ${String(error)}`);
      }
    }
  }

  /** Reconcile the cache, evaluate lost followers, sweep closed buckets. */
  async runHousekeeping(): Promise<void> {
    try {
      await this.cache.reconcile();
      const lost = await this.ordering.takeLost(Date.now() - PRECEDING_EVENT_LOOKBACK_MS);
      for (const event of lost) {
        await inCausalOrder(this.ordering, event, (e) => this.evaluateEvent(e)).catch((error: unknown) => {
          this.logger.warn(`lost follower ${event.id} failed: ${String(error)}`);
        });
      }
      const asOf = Date.now() + this.clock.offsetMs();
      await this.buckets.sweep(asOf - this.settings.server.events.expiredBucketBuffer * 1000);
      await this.buckets.sweepEvaluated();
    } catch (error) {
      this.logger.warn(`housekeeping failed: ${String(error)}`);
    }
  }

  /** One evaluation transaction: the trigger's buckets, its firings' outbox messages. */
  private async inTransaction<T>(
    loaded: LoadedTrigger,
    work: (store: DbTriggerStore, act: (a: AutomationRecord, f: Firing) => void) => Promise<T>,
  ): Promise<T | null> {
    try {
      let fired: string[] = [];
      const result = await this.outbox.transaction((manager: EntityManager, emit: Emit) => {
        fired = []; // a retried transaction starts over
        return work(new DbTriggerStore(manager, this.buckets), (automation, firing) => {
          this.logger.log(`automation ${automation.id} (${automation.name}) fired (firing ${firing.id})`);
          fired.push(firing.trigger.type === 'event' ? firing.trigger.posture : firing.trigger.type);
          for (const message of firingMessages(automation, firing, new Date().toISOString())) emit(message);
        });
      });
      for (const posture of fired) recordTriggerFiring(posture); // committed
      return result;
    } catch (error) {
      // The automation was deleted while its trigger was being evaluated: its buckets went with it.
      if (isForeignKeyViolation(error)) {
        this.logger.debug(`automation ${loaded.automation.id} is gone`);
        return null;
      }
      throw error;
    }
  }

  /** LISTEN prefect_automation_changes; reconciles on every (re)connect; reconnects after a loss. */
  private async listen(): Promise<void> {
    const { pgNotifyHeartbeatIntervalSeconds, pgNotifyReconnectIntervalSeconds } =
      this.settings.server.services.triggers;
    const retry = (error: unknown) => {
      if (this.stopping) return;
      this.logger.warn(
        `automation change listener lost (${String(error)}); reconnecting in ${pgNotifyReconnectIntervalSeconds}s`,
      );
      this.listener = null;
      this.reconnect = setTimeout(() => void this.listen(), pgNotifyReconnectIntervalSeconds * 1000);
    };
    try {
      this.listener = await listenForNotifications(
        this.dataSource,
        AUTOMATION_CHANGES_CHANNEL,
        (payload) => void this.onNotification(payload),
        retry,
        pgNotifyHeartbeatIntervalSeconds * 1000,
      );
      await this.cache.reconcile(true);
    } catch (error) {
      retry(error);
    }
  }

  private async onNotification(payload: string): Promise<void> {
    try {
      const { automation_id: id, event_type: change } = JSON.parse(payload) as {
        automation_id: string;
        event_type: string;
      };
      await this.cache.changed(id, change);
    } catch (error) {
      this.logger.error(`automation change notification ${payload} failed: ${String(error)}`);
    }
  }
}
