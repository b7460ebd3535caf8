import { Injectable } from '@nestjs/common';
import { OutboxPublisher } from '@orrery/outbox';
import {
  type BlockTypeChanges,
  type BlockTypeRecord,
  BlockTypeRepository,
  type BlockTypeValues,
} from '@orrery/persistence';
import { blockTypeEvent } from './block-type.events';

/**
 * Block type writes and their `prefect.block-type.*` events, committed together (transactional
 * outbox). Writes that change nothing emit nothing.
 */
@Injectable()
export class BlockTypeService {
  constructor(
    private readonly types: BlockTypeRepository,
    private readonly outbox: OutboxPublisher,
  ) {}

  /** Returns null when the slug is taken. */
  create(values: BlockTypeValues): Promise<BlockTypeRecord | null> {
    return this.outbox.transaction(async (manager, emit) => {
      const created = await this.types.insert(manager, values);
      if (created !== null) emit(blockTypeEvent('created', created));
      return created;
    });
  }

  /** Returns false when there is no such block type. */
  update(id: string, changes: BlockTypeChanges): Promise<boolean> {
    return this.outbox.transaction(async (manager, emit) => {
      const result = await this.types.updateIfChanged(manager, id, changes);
      if (result === null) return false;
      if (result !== 'unchanged') emit(blockTypeEvent('updated', result));
      return true;
    });
  }

  /** Returns false when there is no such block type. */
  delete(id: string): Promise<boolean> {
    return this.outbox.transaction(async (manager, emit) => {
      const deleted = await this.types.delete(manager, id);
      if (deleted !== null) emit(blockTypeEvent('deleted', deleted));
      return deleted !== null;
    });
  }
}
