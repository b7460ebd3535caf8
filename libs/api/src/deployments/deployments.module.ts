import { Module } from '@nestjs/common';
import {
  DeploymentRepository,
  FlowRunRepository,
  WorkPoolRepository,
  WorkQueueRepository,
} from '@orrery/persistence';
import { RunsModule } from '@orrery/runs';
import { DeploymentFlowRunsController } from './deployment-flow-runs.controller';
import { DeploymentScheduleRunsController } from './deployment-schedule-runs.controller';
import { DeploymentsController } from './deployments.controller';
import { DeploymentsService } from './deployments.service';

/** Deployments and their schedules; needs the global OutboxModule for the lifecycle events. */
@Module({
  imports: [RunsModule],
  controllers: [DeploymentFlowRunsController, DeploymentScheduleRunsController, DeploymentsController],
  providers: [
    DeploymentRepository,
    DeploymentsService,
    FlowRunRepository,
    WorkPoolRepository,
    WorkQueueRepository,
  ],
})
export class DeploymentsModule {}
