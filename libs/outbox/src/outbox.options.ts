export interface OutboxOptions {
  /** How often the relay looks for rows the fast path did not publish (default 5 s). */
  readonly sweepEverySeconds: number;
  /** Rows younger than this are left to the fast path of the process that wrote them (default 5 s). */
  readonly minAgeSeconds: number;
  /** Published rows are kept this long for inspection, then deleted (default 600 s). */
  readonly keepPublishedSeconds: number;
  /** Rows per relay transaction (default 500). */
  readonly batchSize: number;
}

export const DEFAULT_OUTBOX_OPTIONS: OutboxOptions = {
  sweepEverySeconds: 5,
  minAgeSeconds: 5,
  keepPublishedSeconds: 600,
  batchSize: 500,
};

export const OUTBOX_OPTIONS = Symbol('OUTBOX_OPTIONS');
