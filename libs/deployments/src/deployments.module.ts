import { Module } from '@nestjs/common';
import {
  DeploymentRepository,
  FlowRunRepository,
  WorkPoolRepository,
  WorkQueueRepository,
} from '@orrery/persistence';
import { RunsModule } from '@orrery/runs';
import { DeploymentFlowRuns } from './deployment-flow-runs';
import { DeploymentsService } from './deployments.service';

/**
 * The deployment use-cases: writes with their schedules, limits and events, and runs created from
 * a deployment. Needs OutboxModule, PersistenceModule and the JobQueue in the process.
 */
@Module({
  imports: [RunsModule],
  providers: [
    DeploymentRepository,
    FlowRunRepository,
    WorkPoolRepository,
    WorkQueueRepository,
    DeploymentsService,
    DeploymentFlowRuns,
  ],
  exports: [DeploymentsService, DeploymentFlowRuns, DeploymentRepository, RunsModule],
})
export class DeploymentsUseCasesModule {}
