import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JobQueue } from './job-queue';
import type { JobContext, JobPayload, PeriodicTickContext } from './job.types';
import { JobHandler, PeriodicJob } from './jobs.decorators';
import { JobsModule } from './jobs.module';

async function waitFor(what: string, predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

@Injectable()
class LateRunsJobs {
  readonly ticks: PeriodicTickContext[] = [];
  readonly marked: Array<{ payload: JobPayload; context: JobContext }> = [];

  constructor(private readonly queue: JobQueue) {}

  @PeriodicJob('monitor-late-runs', { everySeconds: () => 0.05, runOnStart: true })
  async monitor(context: PeriodicTickContext): Promise<void> {
    this.ticks.push(context);
    if (this.ticks.length === 1) {
      await this.queue.enqueue('mark-flow-run-late', { flowRunId: 'r1' }, { key: 'mark-flow-run-late:r1' });
    }
  }

  @JobHandler('mark-flow-run-late', { concurrency: 2 })
  markLate(payload: JobPayload, context: JobContext): Promise<void> {
    // `this` must be the provider instance.
    this.marked.push({ payload, context });
    return Promise.resolve();
  }
}

@Injectable()
class CopyCatJobs {
  @JobHandler('mark-flow-run-late')
  markLate(): Promise<void> {
    return Promise.resolve();
  }
}

describe('JobsModule', () => {
  it('discovers decorated provider methods, runs them bound to their instance, and stops on close', async () => {
    @Module({ imports: [JobsModule.forRoot({ driver: 'in-process' })], providers: [LateRunsJobs] })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    const jobs = app.get(LateRunsJobs);
    await waitFor(
      'two ticks and the fanned-out item',
      () => jobs.ticks.length >= 2 && jobs.marked.length === 1,
    );
    expect(jobs.ticks[0]?.name).toBe('monitor-late-runs');
    expect(jobs.marked[0]).toMatchObject({
      payload: { flowRunId: 'r1' },
      context: { key: 'mark-flow-run-late:r1' },
    });
    await app.close();
    const ticksAtClose = jobs.ticks.length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(jobs.ticks.length).toBe(ticksAtClose);
  });

  it('refuses to start when two providers declare the same job name', async () => {
    @Module({
      imports: [JobsModule.forRoot({ driver: 'in-process' })],
      providers: [LateRunsJobs, CopyCatJobs],
    })
    class AppModule {}
    await expect(
      NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false }),
    ).rejects.toThrow(/"mark-flow-run-late" is declared twice/);
  });

  it('refuses the bullmq driver without a Redis URL', () => {
    expect(() => JobsModule.createRunner({ driver: 'bullmq' })).toThrow(/needs redis\.url/);
  });
});
