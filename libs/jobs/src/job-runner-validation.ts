import { Instant } from '@orrery/domain';
import type { EnqueueOptions, PeriodicJobOptions } from './job.types';

const NAME_PATTERN = /^[a-z0-9][a-z0-9_-]*$/i;

/** Checks shared by both drivers, so they reject the same mistakes with the same words. */
export class JobRunnerValidation {
  static assertName(name: string): void {
    if (!NAME_PATTERN.test(name)) {
      throw new Error(`Invalid job name ${JSON.stringify(name)}: use letters, digits, '-' and '_'`);
    }
  }

  /** The interval in milliseconds; rejects anything that is not a positive finite number. */
  static intervalMillis(name: string, options: PeriodicJobOptions): number {
    const seconds =
      typeof options.everySeconds === 'function' ? options.everySeconds() : options.everySeconds;
    if (!Number.isFinite(seconds) || seconds <= 0) {
      throw new Error(`Periodic job ${name}: everySeconds must be a positive number, got ${seconds}`);
    }
    return Math.max(1, Math.round(seconds * 1000));
  }

  /** Milliseconds from now until the job is due (0 when due now). */
  static delayMillis(options: EnqueueOptions, now: Instant = Instant.now()): number {
    if (options.delaySeconds !== undefined && options.runAt !== undefined) {
      throw new Error('enqueue: give delaySeconds or runAt, not both');
    }
    if (options.runAt !== undefined) {
      return Math.max(0, options.runAt.epochMillis - now.epochMillis);
    }
    if (options.delaySeconds !== undefined) {
      if (!Number.isFinite(options.delaySeconds)) throw new Error('enqueue: delaySeconds must be finite');
      return Math.max(0, Math.round(options.delaySeconds * 1000));
    }
    return 0;
  }

  static attempts(options: EnqueueOptions): number {
    const attempts = options.attempts ?? 1;
    if (!Number.isInteger(attempts) || attempts < 1)
      throw new Error('enqueue: attempts must be an integer ≥ 1');
    return attempts;
  }

  /** The wait before try number `attempt + 1`, after `attempt` failed tries. */
  static backoffMillis(options: EnqueueOptions, attempt: number): number {
    const backoff = options.backoff ?? { type: 'fixed', delaySeconds: 1 };
    const base = backoff.delaySeconds * 1000;
    return backoff.type === 'fixed' ? base : base * 2 ** (attempt - 1);
  }

  static assertReplaceHasKey(options: EnqueueOptions): void {
    if (options.replace === true && options.key === undefined) {
      throw new Error('enqueue: replace needs a key');
    }
  }
}
