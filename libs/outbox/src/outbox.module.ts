import { type DynamicModule, Module } from '@nestjs/common';
import { OutboxRepository } from '@orrery/persistence';
import { DEFAULT_OUTBOX_OPTIONS, OUTBOX_OPTIONS, type OutboxOptions } from './outbox.options';
import { OutboxPublisher } from './outbox.publisher';
import { OutboxRelay } from './outbox.relay';

/** Loaded by every process: whoever writes state changes publishes through it. */
@Module({})
export class OutboxModule {
  static forRoot(options: Partial<OutboxOptions> = {}): DynamicModule {
    return {
      module: OutboxModule,
      global: true,
      providers: [
        { provide: OUTBOX_OPTIONS, useValue: { ...DEFAULT_OUTBOX_OPTIONS, ...options } },
        OutboxRepository,
        OutboxPublisher,
        OutboxRelay,
      ],
      exports: [OutboxPublisher],
    };
  }
}
