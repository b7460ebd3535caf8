import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { MessageBus } from '@orrery/bus';
import {
  DATA_SOURCE,
  type OutboxMessage,
  OutboxRepository,
  type OutboxRow,
  TransactionSql,
} from '@orrery/persistence';
import { DataSource, type EntityManager } from 'typeorm';

/** Queues a message for publication once the current transaction commits. */
export type Emit = (message: OutboxMessage) => void;

/**
 * Publishes what a transaction decided to say, if and only if it committed (architecture decision 7,
 * issue 3 item 3). Messages are written to `outbox` inside the transaction; right after commit this
 * process publishes them (the fast path) and marks them published a moment later, many rows per
 * UPDATE. If the process dies in between, the OutboxRelay of any process publishes them a few
 * seconds later. Delivery is at-least-once: messages with an `id` attribute are de-duplicated by the
 * bus, and consumers are idempotent by id.
 */
@Injectable()
export class OutboxPublisher implements OnApplicationShutdown {
  private readonly logger = new Logger('outbox');
  /** Ids published by the fast path and not yet marked; one UPDATE marks them all. */
  private unmarked: string[] = [];
  private marking: Promise<void> | null = null;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly bus: MessageBus,
  ) {}

  /**
   * Runs `work` in a transaction; what it emits is stored with its writes and published after
   * commit. `tx` batches writes that nothing reads back (see TransactionSql); the outbox rows join
   * that batch, so a transaction whose writes are all batched sends them in one statement.
   */
  async transaction<T>(
    work: (manager: EntityManager, emit: Emit, tx: TransactionSql) => Promise<T>,
  ): Promise<T> {
    let rows: OutboxRow[] = [];
    const result = await this.dataSource.transaction(async (manager) => {
      const messages: OutboxMessage[] = [];
      const tx = new TransactionSql(manager);
      const value = await work(manager, (message) => messages.push(message), tx);
      rows = await this.outbox.add(tx, messages);
      await tx.flush();
      return value;
    });
    await this.publishCommitted(rows);
    return result;
  }

  /**
   * The fast path: publishes committed rows, then queues them to be marked. A failure is logged, not
   * thrown: the transaction has committed, and the relay will publish the rows.
   */
  async publishCommitted(rows: readonly OutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    try {
      await this.publish(rows);
    } catch (error) {
      this.logger.warn(
        `publishing ${rows.length} committed message(s) failed, the relay will retry: ${String(error)}`,
      );
      return;
    }
    for (const row of rows) this.unmarked.push(row.id);
    this.marking ??= this.markSoon();
  }

  /** Marks what the fast path published, in one UPDATE per turn of the event loop's I/O phase. */
  private async markSoon(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    while (this.unmarked.length > 0) {
      const ids = this.unmarked;
      this.unmarked = [];
      try {
        await this.outbox.markPublished(ids);
      } catch (error) {
        // Unmarked rows are published again by the relay: a duplicate the consumers drop by id.
        this.logger.warn(`marking ${ids.length} published message(s) failed: ${String(error)}`);
      }
    }
    this.marking = null;
  }

  /** Marks what is still queued before the database connection goes. */
  async onApplicationShutdown(): Promise<void> {
    await this.marking;
  }

  /** Publishes rows topic by topic, one round trip per topic. */
  async publish(rows: readonly OutboxRow[]): Promise<void> {
    const byTopic = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      const group = byTopic.get(row.topic);
      if (group === undefined) byTopic.set(row.topic, [row]);
      else group.push(row);
    }
    for (const [topic, group] of byTopic) {
      await this.bus.publishMany(
        topic,
        group.map((r) => ({ data: r.data, attributes: r.attributes })),
        { dedupeBy: 'id' },
      );
    }
  }
}
