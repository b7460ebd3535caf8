import { Module } from '@nestjs/common';
import { UiFlowRunsRepository, UiFlowsRepository, UiTaskRunsRepository } from '@orrery/persistence';
import { UiFlowRunsController } from './ui-flow-runs.controller';
import { UiFlowsController } from './ui-flows.controller';
import { UiTaskRunsController } from './ui-task-runs.controller';

/** The UI-only helper endpoints (spec-api-orchestration §7.8) that aggregate runs and deployments. */
@Module({
  controllers: [UiFlowsController, UiFlowRunsController, UiTaskRunsController],
  providers: [UiFlowsRepository, UiFlowRunsRepository, UiTaskRunsRepository],
})
export class UiModule {}
