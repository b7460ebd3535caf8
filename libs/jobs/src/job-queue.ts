import { Injectable } from '@nestjs/common';
import { JobRunner } from './job-runner';
import type { EnqueueOptions, EnqueueResult, JobPayload } from './job.types';

/** What producers inject to queue per-item work (the API, periodic monitors fanning out). */
@Injectable()
export class JobQueue {
  constructor(private readonly runner: JobRunner) {}

  enqueue<P extends object = JobPayload>(
    name: string,
    payload: P,
    options?: EnqueueOptions,
  ): Promise<EnqueueResult> {
    return this.runner.enqueue(name, payload, options);
  }
}
