import { FlowEntity } from './flow.entity';
import { ArtifactEntity } from './artifact.entity';
import { ArtifactCollectionEntity } from './artifact-collection.entity';
import { FlowRunEntity } from './flow-run.entity';
import { FlowRunStateEntity } from './flow-run-state.entity';
import { TaskRunEntity } from './task-run.entity';
import { TaskRunStateEntity } from './task-run-state.entity';
import { TaskRunStateCacheEntity } from './task-run-state-cache.entity';
import { FlowRunInputEntity } from './flow-run-input.entity';
import { LogEntity } from './log.entity';
import { WorkPoolEntity } from './work-pool.entity';
import { WorkQueueEntity } from './work-queue.entity';
import { WorkerEntity } from './worker.entity';
import { DeploymentEntity } from './deployment.entity';
import { DeploymentScheduleEntity } from './deployment-schedule.entity';
import { BlockTypeEntity } from './block-type.entity';
import { BlockSchemaEntity } from './block-schema.entity';
import { BlockSchemaReferenceEntity } from './block-schema-reference.entity';
import { BlockDocumentEntity } from './block-document.entity';
import { BlockDocumentReferenceEntity } from './block-document-reference.entity';
import { VariableEntity } from './variable.entity';
import { ConcurrencyLimitEntity } from './concurrency-limit.entity';
import { ConcurrencyLimitV2Entity } from './concurrency-limit-v2.entity';
import { SavedSearchEntity } from './saved-search.entity';
import { ConfigurationEntity } from './configuration.entity';
import { CsrfTokenEntity } from './csrf-token.entity';
import { EventEntity } from './event.entity';
import { EventResourceEntity } from './event-resource.entity';
import { AutomationEntity } from './automation.entity';
import { AutomationBucketEntity } from './automation-bucket.entity';
import { AutomationEventEvaluatedEntity } from './automation-event-evaluated.entity';
import { AutomationRelatedResourceEntity } from './automation-related-resource.entity';
import { CompositeTriggerChildFiringEntity } from './composite-trigger-child-firing.entity';
import { AutomationEventFollowerEntity } from './automation-event-follower.entity';
import { OutboxMessageEntity } from './outbox-message.entity';
import { AutomationActionEntity } from './automation-action.entity';

export * from './base-record.entity';
export * from './json';
export * from './status-enums';
export { FlowEntity };
export { ArtifactEntity };
export { ArtifactCollectionEntity };
export { FlowRunEntity };
export { FlowRunStateEntity };
export { TaskRunEntity };
export { TaskRunStateEntity };
export { TaskRunStateCacheEntity };
export { FlowRunInputEntity };
export { LogEntity };
export { WorkPoolEntity };
export { WorkQueueEntity };
export { WorkerEntity };
export { DeploymentEntity };
export { DeploymentScheduleEntity };
export { BlockTypeEntity };
export { BlockSchemaEntity };
export { BlockSchemaReferenceEntity };
export { BlockDocumentEntity };
export { BlockDocumentReferenceEntity };
export { VariableEntity };
export { ConcurrencyLimitEntity };
export { ConcurrencyLimitV2Entity };
export { SavedSearchEntity };
export { ConfigurationEntity };
export { CsrfTokenEntity };
export { EventEntity };
export { EventResourceEntity };
export { AutomationEntity };
export { AutomationBucketEntity };
export { AutomationEventEvaluatedEntity };
export { AutomationRelatedResourceEntity };
export { CompositeTriggerChildFiringEntity };
export { AutomationEventFollowerEntity };
export { OutboxMessageEntity };
export { AutomationActionEntity };

/** Every entity, for the DataSource. */
export const ENTITIES = [
  FlowEntity,
  ArtifactEntity,
  ArtifactCollectionEntity,
  FlowRunEntity,
  FlowRunStateEntity,
  TaskRunEntity,
  TaskRunStateEntity,
  TaskRunStateCacheEntity,
  FlowRunInputEntity,
  LogEntity,
  WorkPoolEntity,
  WorkQueueEntity,
  WorkerEntity,
  DeploymentEntity,
  DeploymentScheduleEntity,
  BlockTypeEntity,
  BlockSchemaEntity,
  BlockSchemaReferenceEntity,
  BlockDocumentEntity,
  BlockDocumentReferenceEntity,
  VariableEntity,
  ConcurrencyLimitEntity,
  ConcurrencyLimitV2Entity,
  SavedSearchEntity,
  ConfigurationEntity,
  CsrfTokenEntity,
  EventEntity,
  EventResourceEntity,
  AutomationEntity,
  AutomationBucketEntity,
  AutomationEventEvaluatedEntity,
  AutomationRelatedResourceEntity,
  CompositeTriggerChildFiringEntity,
  AutomationEventFollowerEntity,
  OutboxMessageEntity,
  AutomationActionEntity,
] as const;
