import { Module } from '@nestjs/common';
import { AdminModule } from './admin/admin.module';
import { ArtifactsModule } from './artifacts/artifacts.module';
import { AutomationsModule } from './automations/automations.module';
import { BlocksApiModule } from './blocks/blocks-api.module';
import { ConcurrencyLimitsModule } from './concurrency-limits/concurrency-limits.module';
import { DeploymentsModule } from './deployments/deployments.module';
import { EventsApiModule } from './events/events-api.module';
import { FlowRunGraphModule } from './flow-run-graph/flow-run-graph.module';
import { FlowRunInputModule } from './flow-run-input/flow-run-input.module';
import { FlowRunsModule } from './flow-runs/flow-runs.module';
import { FlowsModule } from './flows/flows.module';
import { LogsModule } from './logs/logs.module';
import { RunHistoryModule } from './run-history/run-history.module';
import { SavedSearchesModule } from './saved-searches/saved-searches.module';
import { TaskRunsModule } from './task-runs/task-runs.module';
import { TaskWorkersModule } from './task-workers/task-workers.module';
import { UiModule } from './ui/ui.module';
import { VariablesModule } from './variables/variables.module';
import { WorkPoolsModule } from './work-pools/work-pools.module';

/**
 * Every resource endpoint of the REST API (the root endpoints live in ApiModule). Needs the
 * PersistenceModule (DATA_SOURCE) in the process; each resource joins here as its issue lands.
 */
@Module({
  imports: [
    FlowsModule,
    FlowRunsModule,
    TaskRunsModule,
    TaskWorkersModule,
    LogsModule,
    FlowRunInputModule,
    RunHistoryModule,
    UiModule,
    EventsApiModule,
    VariablesModule,
    ArtifactsModule,
    SavedSearchesModule,
    BlocksApiModule,
    DeploymentsModule,
    WorkPoolsModule,
    ConcurrencyLimitsModule,
    AdminModule,
    FlowRunGraphModule,
    AutomationsModule,
  ],
})
export class RestApiModule {}
