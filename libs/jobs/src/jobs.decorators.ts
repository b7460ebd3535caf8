import { SetMetadata } from '@nestjs/common';

export const PERIODIC_JOB_METADATA = 'orrery:jobs:periodic';
export const JOB_HANDLER_METADATA = 'orrery:jobs:handler';

export interface PeriodicJobDeclaration {
  readonly name: string;
  /**
   * A function is called once at bootstrap with the provider instance, e.g. to read the interval
   * from the settings the provider was given.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the decorated provider's own type
  readonly everySeconds: number | ((provider: any) => number);
  readonly runOnStart?: boolean;
}

export interface JobHandlerDeclaration {
  readonly name: string;
  readonly concurrency?: number;
}

/**
 * Marks a provider method `(context: PeriodicTickContext) => Promise<void>` as the tick of a periodic
 * job. It runs about once per interval across every process whose module graph contains the provider.
 */
export function PeriodicJob(name: string, options: Omit<PeriodicJobDeclaration, 'name'>): MethodDecorator {
  return SetMetadata<string, PeriodicJobDeclaration>(PERIODIC_JOB_METADATA, { name, ...options });
}

/**
 * Marks a provider method `(payload, context: JobContext) => Promise<void>` as the handler of the
 * per-item jobs named `name`. Handlers must be idempotent: a job can be delivered more than once.
 */
export function JobHandler(name: string, options: Omit<JobHandlerDeclaration, 'name'> = {}): MethodDecorator {
  return SetMetadata<string, JobHandlerDeclaration>(JOB_HANDLER_METADATA, { name, ...options });
}
