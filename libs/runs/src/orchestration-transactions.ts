import { Inject, Injectable, Optional } from '@nestjs/common';
import type { OrchestrationSettings } from '@orrery/orchestration';
import { OutboxPublisher } from '@orrery/outbox';
import { OrchestrationUnit } from '@orrery/persistence';

/**
 * The server settings the rules read (spec-api §8.5). Optional: process wiring provides it from
 * `@orrery/config` (`server.tasks.*`, `server.deployments.*`, `server.concurrency.*`); without a
 * provider the engine uses Prefect's defaults (DEFAULT_ORCHESTRATION_SETTINGS).
 */
export const ORCHESTRATION_SETTINGS = Symbol('orrery:runs:OrchestrationSettings');

/**
 * Opens the orchestrating transaction every run-state change runs in: the run rows it locks, the
 * state rows it writes and the events it emits (outbox) commit together or not at all.
 */
@Injectable()
export class OrchestrationTransactions {
  constructor(
    private readonly outbox: OutboxPublisher,
    @Optional() @Inject(ORCHESTRATION_SETTINGS) private readonly settings?: OrchestrationSettings,
  ) {}

  run<T>(work: (unit: OrchestrationUnit) => Promise<T>): Promise<T> {
    return this.outbox.transaction((manager, emit) =>
      work(new OrchestrationUnit(manager, emit, this.settings)),
    );
  }
}
