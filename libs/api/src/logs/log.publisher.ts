import { Injectable, Logger, Optional } from '@nestjs/common';
import { MessageBus } from '@orrery/bus';
import { InjectSettings, type Settings } from '@orrery/config';
import type { LogRecord } from '@orrery/persistence';
import { logResponse } from './log.response';

/** The topic the LogDistributor tails for `/logs/out` (spec-services-events-ha §2.1). */
export const LOGS_TOPIC = 'logs';

/**
 * Only ephemeral tails read `logs` (no consumer group trims it), so each publish caps the stream
 * (`XADD MAXLEN ~`): a live tail needs the newest entries only, and Redis memory stays bounded.
 */
export const LOGS_STREAM_MAX_LENGTH = 10_000;

/**
 * Publishes written logs to the `logs` topic when PREFECT_SERVER_LOGS_STREAM_PUBLISHING_ENABLED is
 * on. Every process provides the settings tree; without one (bare test wiring) the setting's
 * default, off, applies.
 */
@Injectable()
export class LogPublisher {
  private readonly logger = new Logger(LogPublisher.name);
  readonly enabled: boolean;

  constructor(
    private readonly bus: MessageBus,
    @Optional() @InjectSettings() settings?: Settings,
  ) {
    this.enabled = settings?.server.logs.streamPublishingEnabled ?? false;
  }

  /**
   * Called after the logs are committed. The live tail is best effort and the logs are already
   * stored, so a broker failure is logged, not answered with an error (a client retry would store
   * the batch twice).
   */
  async publish(logs: readonly LogRecord[]): Promise<void> {
    if (!this.enabled || logs.length === 0) return;
    try {
      await this.bus.publishMany(
        LOGS_TOPIC,
        logs.map((log) => ({ data: logResponse(log), attributes: { log_id: log.id } })),
        { maxLen: LOGS_STREAM_MAX_LENGTH },
      );
    } catch (error) {
      this.logger.warn(`could not publish ${logs.length} logs to "${LOGS_TOPIC}": ${String(error)}`);
    }
  }
}
