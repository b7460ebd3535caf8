// The behaviour every JobRunner driver must show, run against each driver by its own spec file
// (in-process: unit tier; BullMQ: integration tier on real Redis). Test-only; not exported.
import { Logger } from '@nestjs/common';
import { Instant } from '@orrery/domain';
import type { JobRunner } from './job-runner';
import type { JobPayload, TickTiming } from './job.types';

export interface ContractDriver {
  /** A fresh, not yet started runner in its own namespace. */
  create(): JobRunner;
  /** Extra cleanup after each test (e.g. delete the Redis namespace). */
  cleanup?(): Promise<void>;
}

/** Polls `predicate` until it holds or the deadline passes (then fails with `what`). */
export async function waitFor(
  what: string,
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A promise the test resolves by hand, to hold a handler "running" for as long as it needs. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function jobRunnerContract(driverName: string, driver: ContractDriver): void {
  describe(`JobRunner contract: ${driverName}`, () => {
    let runners: JobRunner[] = [];
    const make = (): JobRunner => {
      const runner = driver.create();
      runners.push(runner);
      return runner;
    };

    afterEach(async () => {
      await Promise.all(runners.map((runner) => runner.stop(2000)));
      runners = [];
      await driver.cleanup?.();
    });

    it('runs an enqueued item with its payload, key and attempt number', async () => {
      const runner = make();
      const seen: Array<{ payload: JobPayload; key: string | undefined; attempt: number }> = [];
      runner.registerHandler('echo', (payload, context) => {
        seen.push({ payload, key: context.key, attempt: context.attempt });
        return Promise.resolve();
      });
      await runner.start();
      await runner.enqueue('echo', { id: 'a', n: 1 }, { key: 'echo:a' });
      await waitFor('the item to run', () => seen.length === 1);
      expect(seen[0]).toEqual({ payload: { id: 'a', n: 1 }, key: 'echo:a', attempt: 1 });
    });

    it('runs one job for a key enqueued many times while it waits, and frees the key after completion', async () => {
      const runner = make();
      const runs: JobPayload[] = [];
      runner.registerHandler('mark-late', (payload) => {
        runs.push(payload);
        return Promise.resolve();
      });
      await runner.start();
      const results = [];
      for (let i = 0; i < 5; i++) {
        results.push(await runner.enqueue('mark-late', { i }, { key: 'mark-late:1', delaySeconds: 0.3 }));
      }
      expect(results.map((r) => r.deduplicated)).toEqual([false, true, true, true, true]);
      expect(new Set(results.map((r) => r.id)).size).toBe(1);
      await waitFor('the delayed item to run', () => runs.length === 1);
      expect(runs).toEqual([{ i: 0 }]);
      // Once completed, the same key queues new work.
      await waitFor('the key to be released', async () => {
        const result = await runner.enqueue('mark-late', { i: 9 }, { key: 'mark-late:1' });
        return !result.deduplicated;
      });
      await waitFor('the second run', () => runs.length === 2);
      expect(runs[1]).toEqual({ i: 9 });
    });

    it('ignores the same key while a job with it is running', async () => {
      const runner = make();
      const hold = gate();
      let runs = 0;
      runner.registerHandler('slow', async () => {
        runs += 1;
        await hold.promise;
      });
      await runner.start();
      await runner.enqueue('slow', {}, { key: 'k' });
      await waitFor('the job to start', () => runs === 1);
      const again = await runner.enqueue('slow', {}, { key: 'k' });
      expect(again.deduplicated).toBe(true);
      hold.open();
      await waitFor('the queue to drain', async () => (await runner.describeHandler('slow')).active === 0);
      await pause(300);
      expect(runs).toBe(1);
    });

    it('replace swaps a delayed copy for the new payload and due time', async () => {
      const runner = make();
      const runs: Array<{ payload: JobPayload; at: number }> = [];
      runner.registerHandler('timeout-check', (payload) => {
        runs.push({ payload, at: Date.now() });
        return Promise.resolve();
      });
      await runner.start();
      const enqueuedAt = Date.now();
      await runner.enqueue('timeout-check', { v: 1 }, { key: 'cancelling-timeout:1', delaySeconds: 5 });
      const replaced = await runner.enqueue(
        'timeout-check',
        { v: 2 },
        { key: 'cancelling-timeout:1', runAt: Instant.now().plusSeconds(0.3), replace: true },
      );
      expect(replaced.deduplicated).toBe(false);
      await waitFor('the replacement to run', () => runs.length === 1);
      expect(runs[0]?.payload).toEqual({ v: 2 });
      expect((runs[0]?.at ?? 0) - enqueuedAt).toBeGreaterThanOrEqual(250);
      expect((await runner.describeHandler('timeout-check')).delayed).toBe(0);
    });

    it('replace leaves a running copy alone and runs the new payload after it', async () => {
      const runner = make();
      const hold = gate();
      const events: string[] = [];
      runner.registerHandler('timeout-check', async (payload) => {
        events.push(`start ${String(payload.v)}`);
        if (payload.v === 1) await hold.promise;
        events.push(`end ${String(payload.v)}`);
      });
      await runner.start();
      await runner.enqueue('timeout-check', { v: 1 }, { key: 'cancelling-timeout:2' });
      await waitFor('the first copy to start', () => events.length === 1);
      await runner.enqueue('timeout-check', { v: 2 }, { key: 'cancelling-timeout:2', replace: true });
      const last = await runner.enqueue(
        'timeout-check',
        { v: 3 },
        { key: 'cancelling-timeout:2', replace: true },
      );
      expect(last.deduplicated).toBe(false);
      await pause(200);
      expect(events).toEqual(['start 1']);
      hold.open();
      await waitFor('the replacement to run', () => events.length === 4);
      expect(events).toEqual(['start 1', 'end 1', 'start 3', 'end 3']);
    });

    it('replace swaps a copy that is already due but not yet taken', async () => {
      const runner = make();
      await runner.start();
      // No handler yet in this namespace, so the first copy stays waiting.
      await runner.enqueue('timeout-check', { v: 1 }, { key: 'cancelling-timeout:3' });
      await runner.enqueue(
        'timeout-check',
        { v: 2 },
        { key: 'cancelling-timeout:3', delaySeconds: 0.3, replace: true },
      );
      expect(await runner.describeHandler('timeout-check')).toMatchObject({ waiting: 0, delayed: 1 });
      const runs: JobPayload[] = [];
      runner.registerHandler('timeout-check', (payload) => {
        runs.push(payload);
        return Promise.resolve();
      });
      await waitFor('the replacement to run', () => runs.length === 1);
      await pause(200);
      expect(runs).toEqual([{ v: 2 }]);
    });

    it('does not run a delayed item before it is due', async () => {
      const runner = make();
      let ranAt = 0;
      runner.registerHandler('later', () => {
        ranAt = Date.now();
        return Promise.resolve();
      });
      await runner.start();
      const enqueuedAt = Date.now();
      await runner.enqueue('later', {}, { delaySeconds: 0.4 });
      await waitFor('the delayed item to run', () => ranAt > 0);
      expect(ranAt - enqueuedAt).toBeGreaterThanOrEqual(380);
    });

    it('retries with backoff, and keeps a finally failed job for inspection while freeing its key', async () => {
      const runner = make();
      const attempts: number[] = [];
      runner.registerHandler('flaky', (payload, context) => {
        attempts.push(context.attempt);
        if (payload.succeedOn !== context.attempt) return Promise.reject(new Error('boom'));
        return Promise.resolve();
      });
      await runner.start();
      await runner.enqueue(
        'flaky',
        { succeedOn: 3 },
        { attempts: 3, backoff: { type: 'fixed', delaySeconds: 0.1 } },
      );
      await waitFor('three tries', () => attempts.length === 3);
      expect(attempts).toEqual([1, 2, 3]);

      attempts.length = 0;
      await runner.enqueue(
        'flaky',
        { succeedOn: 99 },
        { key: 'doomed', attempts: 2, backoff: { type: 'fixed', delaySeconds: 0.1 } },
      );
      await waitFor(
        'the job to fail for good',
        async () => (await runner.describeHandler('flaky')).failed === 1,
      );
      expect(attempts).toEqual([1, 2]);
      const again = await runner.enqueue('flaky', { succeedOn: 1 }, { key: 'doomed' });
      expect(again.deduplicated).toBe(false);
    });

    it('runs at most `concurrency` items of one handler at once in one process', async () => {
      const runner = make();
      let running = 0;
      let peak = 0;
      let done = 0;
      runner.registerHandler(
        'bounded',
        async () => {
          running += 1;
          peak = Math.max(peak, running);
          await pause(100);
          running -= 1;
          done += 1;
        },
        { concurrency: 2 },
      );
      await runner.start();
      for (let i = 0; i < 6; i++) await runner.enqueue('bounded', { i });
      await waitFor('all items', () => done === 6);
      expect(peak).toBe(2);
    });

    it('ticks a periodic job about once per interval, and a slow tick never overlaps the next', async () => {
      const runner = make();
      let running = 0;
      let peak = 0;
      const starts: number[] = [];
      runner.registerPeriodic('monitor', {
        everySeconds: 0.2,
        runOnStart: true,
        handler: async () => {
          starts.push(Date.now());
          running += 1;
          peak = Math.max(peak, running);
          // Every third tick overruns the interval.
          await pause(starts.length % 3 === 0 ? 350 : 20);
          running -= 1;
        },
      });
      await runner.start();
      await waitFor('six ticks', () => starts.length >= 6, 8000);
      expect(peak).toBe(1);
      const status = await runner.describePeriodic('monitor');
      expect(status.everySeconds).toBeCloseTo(0.2);
      expect(status.workers.length).toBe(1);
      await waitFor(
        'a next run time',
        async () => (await runner.describePeriodic('monitor')).nextRunAt !== null,
      );
    });

    it('times every tick for its observers and warns when a tick outlasts its interval', async () => {
      const runner = make();
      const timings: TickTiming[] = [];
      runner.onTick((timing) => timings.push(timing));
      const warned: string[] = [];
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => {
        warned.push(String(message));
      });
      let ticks = 0;
      runner.registerPeriodic('timed', {
        everySeconds: 0.2,
        runOnStart: true,
        handler: async () => {
          ticks += 1;
          // The second tick overruns the interval; the third fails.
          await pause(ticks === 2 ? 300 : 10);
          if (ticks === 3) throw new Error('tick failed');
        },
      });
      try {
        await runner.start();
        await waitFor('three timed ticks', () => timings.length >= 3, 8000);
      } finally {
        warn.mockRestore();
      }
      expect(timings.slice(0, 3).map((t) => [t.name, t.everyMillis, t.failed])).toEqual([
        ['timed', 200, false],
        ['timed', 200, false],
        ['timed', 200, true],
      ]);
      expect(timings[1]!.durationMs).toBeGreaterThanOrEqual(290);
      expect(warned.filter((m) => m.includes('Periodic job timed: tick took'))).toHaveLength(1);
      expect(warned.find((m) => m.includes('timed: tick took'))).toMatch(
        /longer than its interval of 0\.2 s/,
      );
    });

    it('lists the periodic jobs with their interval, next run and workers', async () => {
      const runner = make();
      runner.registerPeriodic('late-runs', { everySeconds: 5, handler: () => Promise.resolve() });
      runner.registerPeriodic('foreman', { everySeconds: 15, handler: () => Promise.resolve() });
      await runner.start();
      const listed = await runner.listPeriodic();
      expect(listed.map((status) => [status.name, status.everySeconds])).toEqual([
        ['foreman', 15],
        ['late-runs', 5],
      ]);
      expect(listed.every((status) => status.nextRunAt !== null && status.workers.length === 1)).toBe(true);
      expect(await runner.describePeriodic('unknown')).toEqual({
        name: 'unknown',
        everySeconds: null,
        nextRunAt: null,
        workers: [],
      });
    });

    it('rejects contradictory enqueue options', async () => {
      const runner = make();
      await expect(runner.enqueue('x', {}, { delaySeconds: 1, runAt: Instant.now() })).rejects.toThrow(
        /not both/,
      );
      await expect(runner.enqueue('x', {}, { replace: true })).rejects.toThrow(/replace needs a key/);
      await expect(runner.enqueue('x', {}, { attempts: 0 })).rejects.toThrow(/attempts/);
    });

    it('refuses a second registration of the same name in one process', () => {
      const runner = make();
      const handler = (): Promise<void> => Promise.resolve();
      runner.registerHandler('twice', handler);
      expect(() => runner.registerHandler('twice', handler)).toThrow(/registered twice/);
      runner.registerPeriodic('tick', { everySeconds: 1, handler });
      expect(() => runner.registerPeriodic('tick', { everySeconds: 1, handler })).toThrow(/registered twice/);
    });

    it('stop waits for a running job, and takes no new work', async () => {
      const runner = make();
      const events: string[] = [];
      runner.registerHandler('graceful', async (payload) => {
        events.push(`start ${String(payload.n)}`);
        await pause(300);
        events.push(`end ${String(payload.n)}`);
      });
      await runner.start();
      await runner.enqueue('graceful', { n: 1 });
      await waitFor('the job to start', () => events.length === 1);
      await runner.enqueue('graceful', { n: 2 }, { delaySeconds: 0.2 });
      await runner.stop(5000);
      expect(events).toEqual(['start 1', 'end 1']);
      await pause(300);
      expect(events).toEqual(['start 1', 'end 1']);
    });

    it('is healthy while started and not after stop', async () => {
      const runner = make();
      runner.registerHandler('noop', () => Promise.resolve());
      expect(runner.isHealthy()).toBe(false);
      await runner.start();
      expect(runner.isHealthy()).toBe(true);
      await runner.stop();
      expect(runner.isHealthy()).toBe(false);
    });
  });
}
