import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { hostname } from 'node:os';

/** What a running Orrery process says about itself, for `orrery server services ls`. */
export interface ProcessRecord {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly api: string | null;
  readonly services: readonly string[];
  /** The metrics endpoint of a process without the API (`GET /metrics`), when metrics are on. */
  readonly metrics?: string | null;
  readonly startedAt: string;
  readonly heartbeatAt: string;
}

const KEY_PREFIX = 'orrery:processes:';
/** How long a process stays listed after its last heartbeat. */
export const PROCESS_REGISTRY_TTL_SECONDS = 30;
const BEAT_MS = 10_000;

/**
 * Each process keeps a short-lived key in Redis (refreshed every 10 s, expiring after 30 s), so a
 * crashed replica drops out of the list on its own. Nothing reads it on a hot path.
 */
export class ProcessRegistry {
  private readonly logger = new Logger('process-registry');
  private timer: NodeJS.Timeout | null = null;
  private readonly record: Omit<ProcessRecord, 'heartbeatAt'>;

  constructor(
    private readonly redis: Redis,
    api: string | null,
    services: readonly string[],
    metrics: string | null = null,
  ) {
    this.record = {
      id: `${hostname()}-${process.pid}`,
      host: hostname(),
      pid: process.pid,
      api,
      services,
      metrics,
      startedAt: new Date().toISOString(),
    };
  }

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => {
      this.beat().catch((error: unknown) => this.logger.warn(`heartbeat failed: ${String(error)}`));
    }, BEAT_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.redis.del(KEY_PREFIX + this.record.id).catch(() => undefined);
  }

  private async beat(): Promise<void> {
    const record: ProcessRecord = { ...this.record, heartbeatAt: new Date().toISOString() };
    await this.redis.set(KEY_PREFIX + record.id, JSON.stringify(record), 'EX', PROCESS_REGISTRY_TTL_SECONDS);
  }

  static async list(redis: Redis): Promise<ProcessRecord[]> {
    const records: ProcessRecord[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${KEY_PREFIX}*`, 'COUNT', 200);
      cursor = next;
      if (keys.length > 0) {
        for (const raw of await redis.mget(...keys)) {
          if (raw !== null) records.push(JSON.parse(raw) as ProcessRecord);
        }
      }
    } while (cursor !== '0');
    return records.sort((a, b) => a.id.localeCompare(b.id));
  }
}
