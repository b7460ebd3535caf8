import { type BusMessage } from './bus-message';
import { type ConsumerTuning } from './bus-options';

/** Turns a message's parsed JSON into the handler's type, or throws: the message is then poison. */
export type MessageValidator<T> = (data: unknown) => T | Promise<T>;

export interface BatchOptions {
  /** Keep reading until this many messages are held (default: readBatchSize, i.e. one read). */
  readonly maxBatchSize?: number;
  /** ...or until this long after the first message arrived (default 0: no accumulation). */
  readonly maxWaitMs?: number;
}

interface ConsumerSpecBase<T> {
  readonly topic: string;
  readonly group: string;
  /** Defaults to `{group}-{hostname}-{pid}-{8 hex}` (spec §2.1). */
  readonly consumerName?: string;
  /** Runs on every message before the handler; a throw sends the message to dead letters at once. */
  readonly validate?: MessageValidator<T>;
  /** Parallel consume loops (each with its own connection); default 1 in-flight read/batch. */
  readonly concurrency?: number;
  readonly tuning?: Partial<ConsumerTuning>;
}

export interface SingleConsumerSpec<T> extends ConsumerSpecBase<T> {
  readonly kind: 'single';
  /** Resolve only once the work is committed: the message is acknowledged after that. */
  readonly handle: (message: BusMessage<T>) => Promise<void> | void;
}

export interface BatchConsumerSpec<T> extends ConsumerSpecBase<T> {
  readonly kind: 'batch';
  /** All messages are acknowledged once this resolves; on a throw they are retried one by one. */
  readonly handle: (messages: BusMessage<T>[]) => Promise<void> | void;
  readonly batch?: BatchOptions;
}

export type ConsumerSpec<T = unknown> = SingleConsumerSpec<T> | BatchConsumerSpec<T>;

export interface ConsumerHealth {
  readonly topic: string;
  readonly group: string;
  readonly consumerName: string;
  readonly running: boolean;
  readonly consecutiveErrors: number;
  readonly lastError: string | null;
  readonly handled: number;
  readonly deadLettered: number;
}

/** A running durable consumer. */
export interface ConsumerHandle {
  readonly consumerName: string;
  /** False once stopped, or (never silently) while its loops are not alive. */
  isRunning(): boolean;
  health(): ConsumerHealth;
  /** Stops reading, finishes in-flight handlers and acknowledges their messages. */
  stop(): Promise<void>;
}

/** A running ephemeral tail (plain XREAD, no group): leaves nothing behind in the broker. */
export interface TailHandle {
  isRunning(): boolean;
  stop(): Promise<void>;
}

export interface TailOptions {
  readonly blockMs?: number;
  readonly readBatchSize?: number;
}

export interface ConsumerDescription {
  readonly name: string;
  readonly idleMs: number;
  readonly pending: number;
}

export interface GroupDescription {
  readonly name: string;
  readonly consumers: ConsumerDescription[];
  readonly pending: number;
  readonly lastDeliveredId: string;
  /** Entries not yet delivered to the group; null when the broker cannot tell (after trimming). */
  readonly lag: number | null;
  readonly deadLetters: number;
}

export interface TopicDescription {
  readonly topic: string;
  readonly exists: boolean;
  readonly length: number;
  readonly lastGeneratedId: string;
  readonly groups: GroupDescription[];
  readonly deadLetters: number;
}

export interface MaintenanceOptions {
  readonly idleConsumerThresholdMs?: number;
  readonly trimRetainMs?: number;
  /** Consumers never removed by this pass (the caller itself). */
  readonly keepConsumers?: readonly string[];
}

export interface MaintenanceResult {
  readonly trimmed: number;
  readonly removedConsumers: string[];
  /** The MINID used, or null when nothing could be trimmed. */
  readonly minId: string | null;
}
