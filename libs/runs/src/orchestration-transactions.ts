import { Injectable } from '@nestjs/common';
import { OutboxPublisher } from '@orrery/outbox';
import { OrchestrationUnit } from '@orrery/persistence';

/**
 * Opens the orchestrating transaction every run-state change runs in: the run rows it locks, the
 * state rows it writes and the events it emits (outbox) commit together or not at all.
 */
@Injectable()
export class OrchestrationTransactions {
  constructor(private readonly outbox: OutboxPublisher) {}

  run<T>(work: (unit: OrchestrationUnit) => Promise<T>): Promise<T> {
    return this.outbox.transaction((manager, emit) => work(new OrchestrationUnit(manager, emit)));
  }
}
