import { Injectable } from '@nestjs/common';
import { OutboxPublisher } from '@orrery/outbox';
import {
  type VariableChanges,
  type VariableLocator,
  type VariableRecord,
  VariableRepository,
} from '@orrery/persistence';
import { variableEvent } from './variable-events';

/**
 * Variable writes and their lifecycle events: each write and its `prefect.variable.*` event commit
 * together (transactional outbox), so a listener never hears of a change that rolled back.
 */
@Injectable()
export class VariablesService {
  constructor(
    private readonly variables: VariableRepository,
    private readonly outbox: OutboxPublisher,
  ) {}

  /** Returns null when the name is taken. */
  create(variable: { name: string; value: unknown; tags: string[] }): Promise<VariableRecord | null> {
    return this.outbox.transaction(async (manager, emit) => {
      const created = await this.variables.create(manager, variable);
      if (created !== null) emit(variableEvent('created', created));
      return created;
    });
  }

  /** Returns false when there is no such variable. */
  update(locator: VariableLocator, changes: VariableChanges): Promise<boolean> {
    return this.outbox.transaction(async (manager, emit) => {
      const updated = await this.variables.update(manager, locator, changes);
      if (updated !== null) emit(variableEvent('updated', updated));
      return updated !== null;
    });
  }

  /** Returns false when there is no such variable. */
  delete(locator: VariableLocator): Promise<boolean> {
    return this.outbox.transaction(async (manager, emit) => {
      const deleted = await this.variables.delete(manager, locator);
      if (deleted !== null) emit(variableEvent('deleted', deleted));
      return deleted !== null;
    });
  }
}
