import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { backoffDelayMs } from '../backoff';
import { type BusMessage } from '../bus-message';
import { type TailHandle } from '../consumer-spec';
import { decodeDelivery, errorText } from '../message-codec';
import { asArray, parseEntries } from './redis-reply';
import { lastGeneratedId } from './redis-topic.inspector';

/**
 * An ephemeral reader (spec §4.4): plain `XREAD BLOCK` from the stream's last-generated id, no
 * group, no acknowledgements, so a killed replica leaves nothing behind (upstream #18606, #22136).
 */
export class RedisStreamTail implements TailHandle {
  private readonly logger: Logger;
  private stopping = false;
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private connection: Redis | null = null;

  constructor(
    private readonly openConnection: () => Redis,
    private readonly topic: string,
    private readonly handle: (message: BusMessage<unknown>) => Promise<void> | void,
    private readonly blockMs: number,
    private readonly readBatchSize: number,
    private readonly backoff: { baseMs: number; maxMs: number },
  ) {
    this.logger = new Logger(`BusTail:${topic}`);
  }

  async start(): Promise<void> {
    const startId = await lastGeneratedId(this.conn(), this.topic);
    this.running = true;
    this.loopDone = this.loop(startId).finally(() => {
      this.running = false;
    });
  }

  isRunning(): boolean {
    return this.running && !this.stopping;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    // Safe to cut a blocked XREAD: it changes nothing on the server.
    this.connection?.disconnect();
    await this.loopDone;
  }

  private async loop(startId: string): Promise<void> {
    let lastId = startId;
    let attempt = 0;
    while (!this.stopping) {
      try {
        const reply = await this.conn().call(
          'XREAD',
          'COUNT',
          this.readBatchSize,
          'BLOCK',
          this.blockMs,
          'STREAMS',
          this.topic,
          lastId,
        );
        const streams = asArray(reply);
        for (const entry of streams.length > 0 ? parseEntries(asArray(streams[0])[1]) : []) {
          lastId = entry.id;
          await this.deliver(entry.id, entry.fields);
        }
        attempt = 0;
      } catch (error) {
        if (this.stopping) {
          break;
        }
        attempt += 1;
        const delay = backoffDelayMs(attempt - 1, this.backoff.baseMs, this.backoff.maxMs);
        this.logger.error(`tail read failed (retrying in ${delay} ms): ${errorText(error)}`);
        this.connection?.disconnect();
        this.connection = null;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
    this.connection?.disconnect();
    this.connection = null;
  }

  private async deliver(id: string, fields: Record<string, string> | null): Promise<void> {
    try {
      const message = await decodeDelivery(
        this.topic,
        { id, data: fields?.['data'] ?? null, attributes: fields?.['attributes'] ?? null, deliveryCount: 1 },
        undefined,
      );
      await this.handle(message);
    } catch (error) {
      // Live fan-out is best effort: a bad entry or a failing subscriber must not stop the tail.
      this.logger.warn(`tail skipped ${id}: ${errorText(error)}`);
    }
  }

  private conn(): Redis {
    this.connection ??= this.openConnection();
    return this.connection;
  }
}
