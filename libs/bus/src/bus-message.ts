import { type Instant } from '@orrery/domain';

/**
 * What a handler receives. `id` is the stream id (`<ms>-<seq>`, the same shape in both drivers) and
 * `deliveryCount` comes from the broker (Redis' pending-entries list), never from process memory, so
 * it stays right when another replica reclaims the message.
 */
export interface BusMessage<T = unknown> {
  readonly id: string;
  readonly topic: string;
  readonly data: T;
  readonly attributes: Readonly<Record<string, string>>;
  readonly deliveryCount: number;
  readonly publishedAt: Instant;
}

/** What a producer hands to `publish`: `data` is serialised as JSON. */
export interface OutgoingMessage {
  readonly data: unknown;
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface PublishOptions {
  /**
   * Drop a message whose attribute of this name was already published in the last de-dup TTL
   * (5 min by default). Messages without the attribute always go through.
   */
  readonly dedupeBy?: string;
  /** Approximate cap on the stream length (`XADD MAXLEN ~ n`); for topics nobody consumes durably. */
  readonly maxLen?: number;
}

/** One entry per message given to `publishMany`, in order: the stream id, or null if dropped as a duplicate. */
export type PublishResult = (string | null)[];

/** A message that was moved to the topic's dead-letter stream (`<topic>:dead-letter`). */
export interface DeadLetter {
  readonly id: string;
  readonly topic: string;
  readonly originalId: string;
  readonly group: string;
  readonly consumer: string;
  readonly reason: string;
  readonly deliveryCount: number;
  /** The raw JSON text of the message's data, exactly as published (it may be what failed to parse). */
  readonly data: string | null;
  readonly attributes: string | null;
  readonly deadLetteredAt: Instant;
}

/** The W3C trace-context attribute carried through the bus (architecture decision 11). */
export const TRACEPARENT_ATTRIBUTE = 'traceparent';
