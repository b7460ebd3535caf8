import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BullMqJobRunner } from './bullmq-job-runner';
import { InProcessJobRunner } from './in-process-job-runner';
import { JobQueue } from './job-queue';
import { JobRunner } from './job-runner';
import { JOBS_MODULE_OPTIONS, type JobsModuleOptions } from './jobs-module-options';
import { JobsExplorer } from './jobs.explorer';

/**
 * Periodic and per-item background jobs (architecture decision 8). Import once, in the root module
 * of a process; feature modules then declare `@PeriodicJob`/`@JobHandler` methods on their providers
 * and inject `JobQueue` (or `JobRunner`) to enqueue.
 */
@Module({})
export class JobsModule {
  static forRoot(options: JobsModuleOptions): DynamicModule {
    return {
      module: JobsModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [
        { provide: JOBS_MODULE_OPTIONS, useValue: options },
        { provide: JobRunner, useFactory: () => JobsModule.createRunner(options) },
        JobQueue,
        JobsExplorer,
      ],
      exports: [JobRunner, JobQueue],
    };
  }

  /** The driver the options ask for; throws on options that cannot work. */
  static createRunner(options: JobsModuleOptions): JobRunner {
    switch (options.driver) {
      case 'in-process':
        return new InProcessJobRunner({ keepFailed: options.keepFailed });
      case 'bullmq':
        if (options.redis?.url === undefined || options.redis.url === '') {
          throw new Error('JobsModule: the bullmq driver needs redis.url');
        }
        return new BullMqJobRunner({
          redisUrl: options.redis.url,
          prefix: options.prefix,
          keepFailed: options.keepFailed,
          keepCompleted: options.keepCompleted,
          supervisionIntervalMs: options.supervisionIntervalMs,
          itemLockDurationMs: options.itemLockDurationMs,
        });
    }
  }
}
