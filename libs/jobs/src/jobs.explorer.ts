import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { instrumentJob } from '@orrery/telemetry';
import { JobRunner } from './job-runner';
import type { JobHandlerFn, PeriodicHandlerFn } from './job.types';
import { JOBS_MODULE_OPTIONS, type JobsModuleOptions } from './jobs-module-options';
import {
  JOB_HANDLER_METADATA,
  type JobHandlerDeclaration,
  PERIODIC_JOB_METADATA,
  type PeriodicJobDeclaration,
} from './jobs.decorators';

type Method = (...args: unknown[]) => Promise<void>;

/**
 * Finds `@PeriodicJob` and `@JobHandler` methods on every provider at bootstrap, registers them with
 * the runner and starts it; stops the runner (waiting for running jobs) when the app closes. Refuses
 * to start when two methods declare the same name, or a decorated method is not a function.
 */
@Injectable()
export class JobsExplorer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(JobsExplorer.name);

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly runner: JobRunner,
    @Inject(JOBS_MODULE_OPTIONS) private readonly options: JobsModuleOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const periodicOwners = new Map<string, string>();
    const handlerOwners = new Map<string, string>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (instance === null || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object | null;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method = (instance as Record<string, unknown>)[methodName];
        if (typeof method !== 'function') continue;
        const owner = `${instance.constructor.name}.${methodName}`;
        const bound = (method as Method).bind(instance) as Method;

        const periodic = this.reflector.get<PeriodicJobDeclaration | undefined>(
          PERIODIC_JOB_METADATA,
          method,
        );
        if (periodic !== undefined) {
          claim(periodicOwners, 'Periodic job', periodic.name, owner);
          this.runner.registerPeriodic(periodic.name, {
            everySeconds:
              typeof periodic.everySeconds === 'function'
                ? periodic.everySeconds(instance)
                : periodic.everySeconds,
            runOnStart: periodic.runOnStart,
            handler: instrumentJob(periodic.name, 'periodic', bound as PeriodicHandlerFn),
          });
        }
        const handler = this.reflector.get<JobHandlerDeclaration | undefined>(JOB_HANDLER_METADATA, method);
        if (handler !== undefined) {
          claim(handlerOwners, 'Job handler', handler.name, owner);
          this.runner.registerHandler(
            handler.name,
            instrumentJob(handler.name, 'item', bound as JobHandlerFn),
            {
              concurrency: handler.concurrency,
            },
          );
        }
      }
    }
    await this.runner.start();
    this.logger.log(
      `Jobs started: ${periodicOwners.size} periodic [${[...periodicOwners.keys()].join(', ')}], ` +
        `${handlerOwners.size} handlers [${[...handlerOwners.keys()].join(', ')}]`,
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.runner.stop(this.options.shutdownTimeoutMs ?? 10_000);
  }
}

function claim(owners: Map<string, string>, kind: string, name: string, owner: string): void {
  const previous = owners.get(name);
  if (previous !== undefined) {
    throw new Error(`${kind} "${name}" is declared twice in this process: by ${previous} and by ${owner}`);
  }
  owners.set(name, owner);
}
