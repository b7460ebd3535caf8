import { type MaintenanceResult } from './consumer-spec';

/** A stream entry as fetched for a group, before decoding. `data` is null if the entry was trimmed. */
export interface RawDelivery {
  readonly id: string;
  readonly data: string | null;
  readonly attributes: string | null;
  readonly deliveryCount: number;
}

/**
 * What a driver provides to the shared consumer engine (StreamConsumerRunner): one instance per
 * consume loop. Retry, validation, batching and dead-letter decisions live in the engine so both
 * drivers behave the same; a driver only moves entries.
 */
export interface StreamTransport {
  readonly consumerName: string;
  /** Creates the group from id 0 (ignoring "already exists") and registers this consumer. */
  ensureGroup(): Promise<void>;
  /** Reclaims entries idle for minIdleMs first; otherwise reads new ones, waiting up to blockMs. */
  fetch(count: number, blockMs: number): Promise<RawDelivery[]>;
  ack(ids: readonly string[]): Promise<void>;
  /** Records the entry in the dead-letter stream and acknowledges it, atomically. */
  deadLetter(delivery: RawDelivery, reason: string): Promise<void>;
  /** Resets the idle time of entries still being worked on, so nobody reclaims them meanwhile. */
  heartbeat(ids: readonly string[]): Promise<void>;
  maintain(): Promise<MaintenanceResult>;
  /** After an error: drop connections and forget cached state, so the next call reconnects. */
  reset(): Promise<void>;
  /** Wakes a blocked fetch (used on stop). */
  interrupt(): void;
  close(): Promise<void>;
}
