import { Module } from '@nestjs/common';
import { DeploymentsUseCasesModule } from '@orrery/deployments';
import { FlowRunRepository } from '@orrery/persistence';
import { DeploymentFlowRunsController } from './deployment-flow-runs.controller';
import { DeploymentScheduleRunsController } from './deployment-schedule-runs.controller';
import { DeploymentsController } from './deployments.controller';

/** Deployments and their schedules over the @orrery/deployments use-cases. */
@Module({
  imports: [DeploymentsUseCasesModule],
  controllers: [DeploymentFlowRunsController, DeploymentScheduleRunsController, DeploymentsController],
  providers: [FlowRunRepository],
})
export class DeploymentsModule {}
