import { Module } from '@nestjs/common';
import {
  DeploymentRepository,
  WorkerRepository,
  WorkPoolRepository,
  WorkPoolScheduledRunsRepository,
  WorkQueueRepository,
} from '@orrery/persistence';
import { WorkPoolsService } from './work-pools.service';
import { WorkQueuesService } from './work-queues.service';

/** The work-pool and work-queue use-cases; needs OutboxModule and PersistenceModule in the process. */
@Module({
  providers: [
    DeploymentRepository,
    WorkPoolRepository,
    WorkQueueRepository,
    WorkerRepository,
    WorkPoolScheduledRunsRepository,
    WorkPoolsService,
    WorkQueuesService,
  ],
  exports: [WorkPoolsService, WorkQueuesService, WorkPoolRepository, WorkQueueRepository],
})
export class WorkPoolsUseCasesModule {}
