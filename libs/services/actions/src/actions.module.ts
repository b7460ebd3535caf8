import { Module } from '@nestjs/common';
import { SETTINGS, type Settings } from '@orrery/config';
import { BlocksModule } from '@orrery/blocks';
import { DeploymentsUseCasesModule } from '@orrery/deployments';
import {
  AutomationActionRepository,
  AutomationRepository,
  DeploymentRepository,
  FlowRepository,
  FlowRunRepository,
  TaskRunRepository,
  VariableRepository,
  WorkPoolRepository,
  WorkQueueRepository,
} from '@orrery/persistence';
import { WorkPoolsUseCasesModule } from '@orrery/work-pools';
import { ActionRunner } from './action-runner';
import { ActionsConsumer } from './actions.consumer';
import { TemplateContextBuilder } from './template-context';
import { TemplateRenderer } from './templates';

/**
 * The actions service. Needs PersistenceModule, OutboxModule, a MessageBus and the JobQueue in the
 * process (the deployment use-cases ask the scheduler for runs after a resume).
 */
@Module({
  imports: [DeploymentsUseCasesModule, WorkPoolsUseCasesModule, BlocksModule],
  providers: [
    AutomationActionRepository,
    AutomationRepository,
    DeploymentRepository,
    FlowRepository,
    FlowRunRepository,
    TaskRunRepository,
    VariableRepository,
    WorkPoolRepository,
    WorkQueueRepository,
    TemplateContextBuilder,
    {
      provide: TemplateRenderer,
      inject: [{ token: SETTINGS, optional: true }],
      useFactory: (settings?: Settings) => new TemplateRenderer({ uiUrl: settings?.ui.url ?? null }),
    },
    ActionRunner,
    ActionsConsumer,
  ],
  exports: [ActionsConsumer],
})
export class ActionsModule {}
