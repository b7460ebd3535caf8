import { Module } from '@nestjs/common';
import {
  DeploymentRepository,
  WorkerRepository,
  WorkPoolRepository,
  WorkPoolScheduledRunsRepository,
  WorkQueueConcurrencyRepository,
  WorkQueueRepository,
} from '@orrery/persistence';
import { WorkersController } from '../workers/workers.controller';
import { DeploymentWorkQueueCheckController } from '../work-queues/deployment-work-queue-check.controller';
import { LegacyWorkQueuesController } from '../work-queues/legacy-work-queues.controller';
import { WorkPoolQueuesController } from '../work-queues/work-pool-queues.controller';
import { WorkQueuesService } from '../work-queues/work-queues.service';
import { JobVariableDefaultsValidator } from './job-variable-defaults.validator';
import { WorkPoolsController } from './work-pools.controller';
import { WorkPoolsService } from './work-pools.service';

/**
 * Work pools, their queues and workers, the worker poll, and the legacy `/work_queues` routes.
 * Needs the global OutboxModule for the pool/queue events. Exports the repositories other
 * resources resolve queues with (`WorkQueueRepository.resolve`, e.g. deployments).
 */
@Module({
  controllers: [
    WorkPoolsController,
    WorkPoolQueuesController,
    LegacyWorkQueuesController,
    WorkersController,
    DeploymentWorkQueueCheckController,
  ],
  providers: [
    DeploymentRepository,
    WorkPoolRepository,
    WorkQueueRepository,
    WorkerRepository,
    WorkPoolScheduledRunsRepository,
    WorkQueueConcurrencyRepository,
    WorkPoolsService,
    WorkQueuesService,
    JobVariableDefaultsValidator,
  ],
  exports: [WorkPoolRepository, WorkQueueRepository],
})
export class WorkPoolsModule {}
