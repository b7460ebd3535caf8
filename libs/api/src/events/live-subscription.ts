/** A subscriber's queue bound (upstream: 256); when full, new messages for it are dropped. */
export const SUBSCRIBER_QUEUE_SIZE = 256;

/**
 * One websocket client's live feed (`/events/out`, `/logs/out`): a bounded queue the process's
 * distributor offers every live message to. Best effort by design: a slow client loses messages,
 * never the process's memory.
 */
export class LiveSubscription<T> {
  private readonly queue: T[] = [];
  private wake: (() => void) | null = null;
  dropped = 0;

  constructor(
    readonly accepts: (item: T) => boolean,
    private readonly onClose: (s: LiveSubscription<T>) => void,
  ) {}

  /** Called by the distributor for every live message. */
  offer(item: T): void {
    if (!this.accepts(item)) return;
    if (this.queue.length >= SUBSCRIBER_QUEUE_SIZE) {
      this.dropped++;
      return;
    }
    this.queue.push(item);
    this.wake?.();
  }

  /** The queued messages, or waits up to `timeoutMs` for the next one (empty on timeout). */
  async take(timeoutMs: number): Promise<T[]> {
    if (this.queue.length === 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
    return this.queue.splice(0, this.queue.length);
  }

  close(): void {
    this.wake?.();
    this.onClose(this);
  }
}
