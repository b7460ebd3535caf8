import { Inject, Injectable, Logger } from '@nestjs/common';
import { MessageBus } from '@orrery/bus';
import { DATA_SOURCE, type OutboxMessage, OutboxRepository, type OutboxRow } from '@orrery/persistence';
import { DataSource, type EntityManager } from 'typeorm';

/** Queues a message for publication once the current transaction commits. */
export type Emit = (message: OutboxMessage) => void;

/**
 * Publishes what a transaction decided to say, if and only if it committed (architecture decision 7,
 * issue 3 item 3). Messages are written to `outbox` inside the transaction; right after commit this
 * process publishes them and marks them published (the fast path). If the process dies in between,
 * the OutboxRelay of any process publishes them a few seconds later. Delivery is at-least-once:
 * messages with an `id` attribute are de-duplicated by the bus, and consumers are idempotent by id.
 */
@Injectable()
export class OutboxPublisher {
  private readonly logger = new Logger('outbox');

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly bus: MessageBus,
  ) {}

  /** Runs `work` in a transaction; what it emits is stored with its writes and published after commit. */
  async transaction<T>(work: (manager: EntityManager, emit: Emit) => Promise<T>): Promise<T> {
    let rows: OutboxRow[] = [];
    const result = await this.dataSource.transaction(async (manager) => {
      const messages: OutboxMessage[] = [];
      const value = await work(manager, (message) => messages.push(message));
      rows = await this.outbox.add(manager, messages);
      return value;
    });
    await this.publishCommitted(rows);
    return result;
  }

  /**
   * The fast path: publishes committed rows and marks them. A failure is logged, not thrown: the
   * transaction has committed, and the relay will publish the rows.
   */
  async publishCommitted(rows: readonly OutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    try {
      await this.publish(rows);
      await this.outbox.markPublished(rows.map((r) => r.id));
    } catch (error) {
      this.logger.warn(
        `publishing ${rows.length} committed message(s) failed, the relay will retry: ${String(error)}`,
      );
    }
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
