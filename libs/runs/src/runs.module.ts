import { Module } from '@nestjs/common';
import { SchedulerRepository } from '@orrery/persistence';
import { DeploymentRunScheduler } from './deployment-run-scheduler';
import { FlowRunCreator } from './flow-run-creator';
import { FlowRunResumer } from './flow-run-resumer';
import { FlowRunStateService } from './flow-run-state.service';
import { OrchestrationTransactions } from './orchestration-transactions';
import { TaskRunCreator } from './task-run-creator';
import { TaskRunStateService } from './task-run-state.service';

/**
 * The run use-cases: creating runs and changing their states, always through the orchestration
 * engine in one transaction with the outbox. Needs OutboxModule and PersistenceModule in the process.
 */
@Module({
  providers: [
    SchedulerRepository,
    DeploymentRunScheduler,
    OrchestrationTransactions,
    FlowRunCreator,
    FlowRunResumer,
    FlowRunStateService,
    TaskRunCreator,
    TaskRunStateService,
  ],
  exports: [
    DeploymentRunScheduler,
    FlowRunCreator,
    FlowRunResumer,
    FlowRunStateService,
    TaskRunCreator,
    TaskRunStateService,
  ],
})
export class RunsModule {}
