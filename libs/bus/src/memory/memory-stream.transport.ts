import { type ConsumerTuning } from '../bus-options';
import { type MaintenanceResult } from '../consumer-spec';
import { type RawDelivery, type StreamTransport } from '../stream-transport';
import { type MemoryStream } from './memory-stream';

/** One consume loop's view of an in-memory consumer group: the same moves as the Redis transport. */
export class MemoryStreamTransport implements StreamTransport {
  private cancelWait: (() => void) | null = null;
  private interrupted = false;

  constructor(
    private readonly stream: MemoryStream,
    private readonly group: string,
    readonly consumerName: string,
    private readonly tuning: ConsumerTuning,
  ) {}

  ensureGroup(): Promise<void> {
    this.stream.ensureGroup(this.group, this.consumerName);
    return Promise.resolve();
  }

  async fetch(count: number, blockMs: number): Promise<RawDelivery[]> {
    const deadline = Date.now() + blockMs;
    for (;;) {
      const claimed = this.stream.claimIdle(this.group, this.consumerName, this.tuning.minIdleMs, count);
      if (claimed.length > 0) {
        return claimed;
      }
      const fresh = this.stream.readNew(this.group, this.consumerName, count);
      const remaining = deadline - Date.now();
      if (fresh.length > 0 || remaining <= 0 || this.interrupted) {
        return fresh;
      }
      const wait = this.stream.waitForData(remaining);
      this.cancelWait = wait.cancel;
      await wait.done;
      this.cancelWait = null;
    }
  }

  ack(ids: readonly string[]): Promise<void> {
    this.stream.ack(this.group, ids);
    return Promise.resolve();
  }

  deadLetter(delivery: RawDelivery, reason: string): Promise<void> {
    this.stream.deadLetter(this.group, this.consumerName, delivery, reason);
    return Promise.resolve();
  }

  heartbeat(ids: readonly string[]): Promise<void> {
    this.stream.heartbeat(this.group, this.consumerName, ids);
    return Promise.resolve();
  }

  maintain(): Promise<MaintenanceResult> {
    return Promise.resolve(
      this.stream.maintain({
        idleConsumerThresholdMs: this.tuning.idleConsumerThresholdMs,
        trimRetainMs: this.tuning.trimRetainMs,
        keepConsumers: [this.consumerName],
      }),
    );
  }

  reset(): Promise<void> {
    return Promise.resolve();
  }

  interrupt(): void {
    this.interrupted = true;
    this.cancelWait?.();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
