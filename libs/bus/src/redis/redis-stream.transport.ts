import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { Instant } from '@orrery/domain';
import { type ConsumerTuning } from '../bus-options';
import { type MaintenanceResult } from '../consumer-spec';
import { type RawDelivery, type StreamTransport } from '../stream-transport';
import { DEAD_LETTER_MAXLEN, deadLetterCountsKey, deadLetterStreamKey } from './redis-keys';
import { asArray, asNumber, asString, isRedisError, parseEntries } from './redis-reply';
import { maintainRedisStream } from './redis-topic.inspector';

export interface RedisTransportDeps {
  /** Shared non-blocking connection (acks, claims, dead letters). */
  readonly commands: Redis;
  /** Opens a dedicated connection for this loop's blocking XREADGROUP. */
  readonly openConnection: () => Redis;
  readonly topic: string;
  readonly group: string;
  readonly consumerName: string;
  readonly tuning: ConsumerTuning;
}

/** One consume loop's view of a Redis stream consumer group (decision 7). */
export class RedisStreamTransport implements StreamTransport {
  private readonly logger = new Logger(RedisStreamTransport.name);
  private reader: Redis | null = null;
  private groupReady = false;
  private claimCursor = '0-0';
  /** XAUTOCLAIM is skipped until then: a scan that found nothing need not repeat on every read. */
  private nextClaimAt = 0;

  constructor(private readonly deps: RedisTransportDeps) {}

  get consumerName(): string {
    return this.deps.consumerName;
  }

  async ensureGroup(): Promise<void> {
    if (this.groupReady) {
      return;
    }
    const { commands, topic, group, consumerName } = this.deps;
    try {
      await commands.call('XGROUP', 'CREATE', topic, group, '0', 'MKSTREAM');
    } catch (error) {
      if (!isRedisError(error, 'BUSYGROUP')) {
        throw error;
      }
    }
    // Registered now rather than on the first read, so trimming sees the group as live at once.
    await commands.call('XGROUP', 'CREATECONSUMER', topic, group, consumerName);
    this.groupReady = true;
  }

  async fetch(count: number, blockMs: number): Promise<RawDelivery[]> {
    if (Date.now() >= this.nextClaimAt) {
      const reclaimed = await this.reclaim(count);
      if (reclaimed.length > 0) {
        return reclaimed;
      }
      if (this.claimCursor === '0-0') {
        // A full pass found nothing idle: nothing can become reclaimable sooner than a fraction of minIdleMs.
        this.nextClaimAt = Date.now() + Math.max(10, Math.floor(this.deps.tuning.minIdleMs / 4));
      }
    }
    const { topic, group, consumerName } = this.deps;
    const reply = await this.readerConnection().call(
      'XREADGROUP',
      'GROUP',
      group,
      consumerName,
      'COUNT',
      count,
      'BLOCK',
      Math.max(1, Math.round(blockMs)),
      'STREAMS',
      topic,
      '>',
    );
    const streams = asArray(reply);
    const entries = streams.length > 0 ? parseEntries(asArray(streams[0])[1]) : [];
    // A fresh read is the entry's first delivery (Redis counts it as 1 in the pending list).
    return entries.map((entry) => ({
      id: entry.id,
      data: entry.fields?.['data'] ?? null,
      attributes: entry.fields?.['attributes'] ?? null,
      deliveryCount: 1,
    }));
  }

  /** XAUTOCLAIM one page, then read the delivery counts Redis keeps (XPENDING), not our own. */
  private async reclaim(count: number): Promise<RawDelivery[]> {
    const { commands, topic, group, consumerName, tuning } = this.deps;
    const reply = asArray(
      await commands.call(
        'XAUTOCLAIM',
        topic,
        group,
        consumerName,
        tuning.minIdleMs,
        this.claimCursor,
        'COUNT',
        count,
      ),
    );
    this.claimCursor = asString(reply[0], '0-0');
    const entries = parseEntries(reply[1]);
    const gone = asArray(reply[2]).map((id) => asString(id));
    if (gone.length > 0) {
      this.logger.warn(`${topic}/${group}: ${gone.length} pending entries had been deleted from the stream`);
    }
    if (entries.length === 0) {
      return [];
    }
    const orphans = entries.filter((entry) => entry.fields === null).map((entry) => entry.id);
    if (orphans.length > 0) {
      // Redis < 7 returns deleted entries as nil and keeps them pending: nothing left to deliver.
      await commands.xack(topic, group, ...orphans);
    }
    const live = entries.filter((entry) => entry.fields !== null);
    const pipeline = commands.pipeline();
    for (const entry of live) {
      pipeline.call('XPENDING', topic, group, entry.id, entry.id, 1);
    }
    const counts = (await pipeline.exec()) ?? [];
    const out: RawDelivery[] = [];
    live.forEach((entry, index) => {
      const [error, pending] = counts[index] ?? [null, null];
      if (error) {
        throw error;
      }
      const row = asArray(asArray(pending)[0]);
      if (row.length < 4) {
        return; // acknowledged by someone else in the meantime
      }
      out.push({
        id: entry.id,
        data: entry.fields?.['data'] ?? null,
        attributes: entry.fields?.['attributes'] ?? null,
        deliveryCount: asNumber(row[3], 1),
      });
    });
    return out;
  }

  async ack(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) {
      await this.deps.commands.xack(this.deps.topic, this.deps.group, ...ids);
    }
  }

  async deadLetter(delivery: RawDelivery, reason: string): Promise<void> {
    const { commands, topic, group, consumerName } = this.deps;
    const results = await commands
      .multi()
      .xadd(
        deadLetterStreamKey(topic),
        'MAXLEN',
        '~',
        DEAD_LETTER_MAXLEN,
        '*',
        'data',
        delivery.data ?? '',
        'attributes',
        delivery.attributes ?? '',
        'original_id',
        delivery.id,
        'group',
        group,
        'consumer',
        consumerName,
        'reason',
        reason,
        'delivery_count',
        String(delivery.deliveryCount),
        'dead_lettered_at',
        Instant.now().toString(),
      )
      .hincrby(deadLetterCountsKey(topic), group, 1)
      .xack(topic, group, delivery.id)
      .exec();
    const failure = (results ?? []).find(([error]) => error !== null);
    if (results === null || failure !== undefined) {
      throw failure?.[0] ?? new Error('dead-letter transaction aborted');
    }
  }

  async heartbeat(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) {
      const { commands, topic, group, consumerName } = this.deps;
      // XCLAIM to ourselves with JUSTID resets the idle time without counting a delivery.
      await commands.call('XCLAIM', topic, group, consumerName, 0, ...ids, 'JUSTID');
    }
  }

  maintain(): Promise<MaintenanceResult> {
    const { commands, topic, tuning, consumerName } = this.deps;
    return maintainRedisStream(commands, topic, {
      idleConsumerThresholdMs: tuning.idleConsumerThresholdMs,
      trimRetainMs: tuning.trimRetainMs,
      keepConsumers: [consumerName],
    });
  }

  reset(): Promise<void> {
    this.groupReady = false;
    this.claimCursor = '0-0';
    this.nextClaimAt = 0;
    this.reader?.disconnect();
    this.reader = null;
    return Promise.resolve();
  }

  interrupt(): void {
    // A blocked XREADGROUP is left to time out (≤ blockMs): cutting the connection could lose the
    // reply after Redis already made the entries pending, costing them a redelivery.
  }

  close(): Promise<void> {
    this.reader?.disconnect();
    this.reader = null;
    return Promise.resolve();
  }

  private readerConnection(): Redis {
    this.reader ??= this.deps.openConnection();
    return this.reader;
  }
}
