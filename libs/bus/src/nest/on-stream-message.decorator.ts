import { SetMetadata, type Type } from '@nestjs/common';
import { type ConsumerTuning } from '../bus-options';
import { type BatchOptions, type MessageValidator } from '../consumer-spec';
import { ON_STREAM_MESSAGE } from './bus.constants';

export interface OnStreamMessageOptions {
  /** Consumer group: replicas of one service share it (work is shared, not duplicated). */
  readonly group: string;
  /** class-validator DTO for `data`; an invalid message goes to dead letters at once. */
  readonly dto?: Type<object>;
  /** Alternative to `dto`: returns the typed data or throws. */
  readonly validate?: MessageValidator<unknown>;
  /** Present: the method receives `BusMessage[]` and all are acknowledged when it resolves. */
  readonly batch?: BatchOptions | true;
  /** Parallel consume loops in this process (default 1). */
  readonly concurrency?: number;
  readonly tuning?: Partial<ConsumerTuning>;
}

export interface StreamHandlerMetadata extends OnStreamMessageOptions {
  readonly topic: string;
}

/**
 * Declares a bus handler on a provider method: `(message: BusMessage<T>) => Promise<void>`, or
 * `(messages: BusMessage<T>[]) => Promise<void>` with `batch`. BusExplorer wires it at bootstrap and
 * refuses to start on an invalid declaration or a duplicate (topic, group) in one process. Resolve
 * only after the work is committed: that is when the message is acknowledged.
 */
export function OnStreamMessage(topic: string, options: OnStreamMessageOptions): MethodDecorator {
  const metadata: StreamHandlerMetadata = { ...options, topic };
  return SetMetadata(ON_STREAM_MESSAGE, metadata);
}
