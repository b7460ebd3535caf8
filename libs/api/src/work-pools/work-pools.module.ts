import { Module } from '@nestjs/common';
import { WorkerRepository, WorkQueueConcurrencyRepository } from '@orrery/persistence';
import { WorkPoolsUseCasesModule } from '@orrery/work-pools';
import { WorkersController } from '../workers/workers.controller';
import { DeploymentWorkQueueCheckController } from '../work-queues/deployment-work-queue-check.controller';
import { LegacyWorkQueuesController } from '../work-queues/legacy-work-queues.controller';
import { WorkPoolQueuesController } from '../work-queues/work-pool-queues.controller';
import { JobVariableDefaultsValidator } from './job-variable-defaults.validator';
import { WorkPoolsController } from './work-pools.controller';

/**
 * Work pools, their queues and workers, the worker poll, and the legacy `/work_queues` routes.
 * Needs the global OutboxModule for the pool/queue events. Exports the repositories other
 * resources resolve queues with (`WorkQueueRepository.resolve`, e.g. deployments).
 */
@Module({
  imports: [WorkPoolsUseCasesModule],
  controllers: [
    WorkPoolsController,
    WorkPoolQueuesController,
    LegacyWorkQueuesController,
    WorkersController,
    DeploymentWorkQueueCheckController,
  ],
  providers: [WorkerRepository, WorkQueueConcurrencyRepository, JobVariableDefaultsValidator],
  exports: [WorkPoolsUseCasesModule],
})
export class WorkPoolsModule {}
