import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { type BusMessage, MessageBus, type TailHandle } from '@orrery/bus';
import { LiveSubscription } from '../events/live-subscription';
import { asStreamedLog, type StreamedLog } from './log-stream.filter';
import { LOGS_TOPIC } from './log.publisher';

/** One `/logs/out` client's live feed. */
export type LogSubscription = LiveSubscription<StreamedLog>;

/**
 * The LogDistributor (spec-services-events-ha §2.1, upstream `logs/stream.py`): one ephemeral tail
 * of `logs` per API process (no consumer group: every replica sees every log), started with the
 * first `/logs/out` subscriber and fanned out to each subscriber's bounded queue (256, then drops).
 * Logs reach the topic only when `PREFECT_SERVER_LOGS_STREAM_PUBLISHING_ENABLED` is on (LogPublisher).
 */
@Injectable()
export class LogDistributor implements OnApplicationShutdown {
  private readonly logger = new Logger('LogDistributor');
  private readonly subscribers = new Set<LogSubscription>();
  private tail: Promise<TailHandle> | null = null;

  constructor(private readonly bus: MessageBus) {}

  /** Resolves once the live position is fixed: every log published afterwards reaches `accepts`. */
  async subscribe(accepts: (log: StreamedLog) => boolean): Promise<LogSubscription> {
    const subscription = new LiveSubscription<StreamedLog>(accepts, (s) => this.subscribers.delete(s));
    this.subscribers.add(subscription);
    this.tail ??= this.bus.tail(LOGS_TOPIC, (message) => this.distribute(message));
    try {
      await this.tail;
    } catch (error) {
      this.tail = null;
      this.subscribers.delete(subscription);
      throw error;
    }
    return subscription;
  }

  async onApplicationShutdown(): Promise<void> {
    const tail = this.tail;
    this.tail = null;
    if (tail !== null) await (await tail).stop();
  }

  private distribute(message: BusMessage<unknown>): void {
    if (this.subscribers.size === 0) return;
    const log = asStreamedLog(message.data);
    if (log === null) {
      this.logger.warn(`skipped an undecodable log message ${message.id}`);
      return;
    }
    for (const subscriber of this.subscribers) subscriber.offer(log);
  }
}
