import { Injectable, Logger } from '@nestjs/common';
import { type BusMessage, MessageBus } from '@orrery/bus';
import { type LiveSubscription, TopicDistributor } from '../events/live-subscription';
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
export class LogDistributor extends TopicDistributor<StreamedLog> {
  constructor(bus: MessageBus) {
    super(bus, LOGS_TOPIC, new Logger('LogDistributor'));
  }

  protected decode(message: BusMessage<unknown>): StreamedLog | null {
    const log = asStreamedLog(message.data);
    if (log === null) this.logger.warn(`skipped an undecodable log message ${message.id}`);
    return log;
  }
}
