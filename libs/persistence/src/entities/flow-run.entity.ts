import { type Instant, STATE_TYPES, type StateType } from '@orrery/domain';
import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { INSTANT_TRANSFORMER } from '../instant.transformer';
import { INTERVAL_SECONDS_TRANSFORMER } from '../interval-seconds.transformer';
import { BaseRecordEntity } from './base-record.entity';
import { BlockDocumentEntity } from './block-document.entity';
import { FlowRunStateEntity } from './flow-run-state.entity';
import { FlowEntity } from './flow.entity';
import { type JsonObject } from './json';
import { TaskRunEntity } from './task-run.entity';
import { WorkQueueEntity } from './work-queue.entity';

/** Table `flow_run` — see migrations/ for the authoritative DDL. */
@Entity('flow_run')
@Index('ix_flow_run__updated', ['updated'])
@Index('uq_flow_run__flow_id_idempotency_key', ['flowId', 'idempotencyKey'], { unique: true })
@Index('ix_flow_run__flow_id', ['flowId'])
@Index('ix_flow_run__deployment_id', ['deploymentId'])
@Index('ix_flow_run__work_queue_name', ['workQueueName'])
@Index('ix_flow_run__flow_version', ['flowVersion'])
@Index('ix_flow_run__deployment_version', ['deploymentVersion'])
@Index('ix_flow_run__parent_task_run_id', ['parentTaskRunId'])
@Index('ix_flow_run__state_id', ['stateId'])
@Index('ix_flow_run__work_queue_id', ['workQueueId'])
@Index('ix_flow_run__infrastructure_document_id', ['infrastructureDocumentId'])
@Index('ix_flow_run__name', ['name'])
@Index('ix_flow_run__state_type', ['stateType'])
@Index('ix_flow_run__state_name', ['stateName'])
@Index('ix_flow_run__state_timestamp', ['stateTimestamp'])
@Index('ix_flow_run__start_time', ['startTime'])
// Not expressible in TypeORM: (end_time DESC)
@Index('ix_flow_run__end_time_desc', { synchronize: false })
// Not expressible in TypeORM: (expected_start_time DESC, id DESC) INCLUDE (…), migration 1795300600000
@Index('ix_flow_run__expected_start_time_desc_id', { synchronize: false })
@Index('ix_flow_run__next_scheduled_start_time_asc', ['nextScheduledStartTime'])
// Not expressible in TypeORM: ((COALESCE(start_time, expected_start_time)) DESC, id DESC) INCLUDE (…)
@Index('ix_flow_run__coalesce_start_expected_desc_id', { synchronize: false })
// Not expressible in TypeORM: (deployment_id, auto_scheduled, next_scheduled_start_time) WHERE state_type = 'SCHEDULED'
@Index('ix_flow_run__scheduler_deployment_id_auto_scheduled_next_schedu', { synchronize: false })
// Not expressible in TypeORM: (deployment_id, (created_by ->> 'id'), next_scheduled_start_time) WHERE state_type = 'SCHEDULED' AND auto_scheduled = true
@Index('ix_flow_run__schedule_id_scheduler', { synchronize: false })
// Not expressible in TypeORM: (work_queue_id, next_scheduled_start_time, id) WHERE state_type = 'SCHEDULED'
@Index('ix_flow_run__work_queue_id_scheduled_next_start', { synchronize: false })
// Not expressible in TypeORM: partial (flow_id, next_scheduled_start_time, id), migration 1795300700000
@Index('ix_flow_run__flow_id_scheduled_next_start', { synchronize: false })
// Partial (parent_task_run_id) WHERE parent_task_run_id IS NOT NULL: the subflows, migration 1795301400000
@Index('ix_flow_run__subflow_parent_task_run_id', { synchronize: false })
// Not expressible in TypeORM: USING gin (name gin_trgm_ops)
@Index('trgm_ix_flow_run_name', { synchronize: false })
export class FlowRunEntity extends BaseRecordEntity {
  @Column('text')
  name!: string;

  @Column({ type: 'enum', enum: STATE_TYPES, enumName: 'state_type', name: 'state_type', nullable: true })
  stateType!: StateType | null;

  @Column('text', { name: 'state_name', nullable: true })
  stateName!: string | null;

  @Column('timestamptz', { name: 'state_timestamp', nullable: true, transformer: INSTANT_TRANSFORMER })
  stateTimestamp!: Instant | null;

  @Column('integer', { name: 'run_count', default: 0 })
  runCount!: number;

  @Column('timestamptz', { name: 'expected_start_time', nullable: true, transformer: INSTANT_TRANSFORMER })
  expectedStartTime!: Instant | null;

  @Column('timestamptz', {
    name: 'next_scheduled_start_time',
    nullable: true,
    transformer: INSTANT_TRANSFORMER,
  })
  nextScheduledStartTime!: Instant | null;

  @Column('timestamptz', { name: 'start_time', nullable: true, transformer: INSTANT_TRANSFORMER })
  startTime!: Instant | null;

  @Column('timestamptz', { name: 'end_time', nullable: true, transformer: INSTANT_TRANSFORMER })
  endTime!: Instant | null;

  @Column('interval', {
    name: 'total_run_time',
    default: '00:00:00',
    transformer: INTERVAL_SECONDS_TRANSFORMER,
  })
  totalRunTime!: number;

  @Column('uuid', { name: 'flow_id' })
  flowId!: string;

  @ManyToOne(() => FlowEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'flow_id', foreignKeyConstraintName: 'fk_flow_run__flow_id__flow' })
  flow?: Relation<FlowEntity>;

  @Column('uuid', { name: 'deployment_id', nullable: true })
  deploymentId!: string | null;

  @Column('text', { name: 'deployment_version', nullable: true })
  deploymentVersion!: string | null;

  @Column('text', { name: 'work_queue_name', nullable: true })
  workQueueName!: string | null;

  @Column('text', { name: 'flow_version', nullable: true })
  flowVersion!: string | null;

  @Column('jsonb', { default: {} })
  parameters!: JsonObject;

  @Column('text', { name: 'idempotency_key', nullable: true })
  idempotencyKey!: string | null;

  @Column('jsonb', { default: {} })
  context!: JsonObject;

  @Column('jsonb', { name: 'empirical_policy', default: {} })
  empiricalPolicy!: JsonObject;

  @Column('jsonb', { default: [] })
  tags!: string[];

  @Column('jsonb', { nullable: true })
  labels!: JsonObject | null;

  @Column('jsonb', { name: 'created_by', nullable: true })
  createdBy!: unknown;

  @Column('text', { name: 'infrastructure_pid', nullable: true })
  infrastructurePid!: string | null;

  @Column('jsonb', { name: 'job_variables', nullable: true, default: {} })
  jobVariables!: JsonObject | null;

  @Column('uuid', { name: 'infrastructure_document_id', nullable: true })
  infrastructureDocumentId!: string | null;

  @ManyToOne(() => BlockDocumentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'infrastructure_document_id',
    foreignKeyConstraintName: 'fk_flow_run__infrastructure_document_id__block_document',
  })
  infrastructureDocument?: Relation<BlockDocumentEntity>;

  @Column('uuid', { name: 'parent_task_run_id', nullable: true })
  parentTaskRunId!: string | null;

  @ManyToOne(() => TaskRunEntity, { onDelete: 'SET NULL' })
  @JoinColumn({
    name: 'parent_task_run_id',
    foreignKeyConstraintName: 'fk_flow_run__parent_task_run_id__task_run',
  })
  parentTaskRun?: Relation<TaskRunEntity>;

  @Column('boolean', { name: 'auto_scheduled', default: false })
  autoScheduled!: boolean;

  @Column('uuid', { name: 'state_id', nullable: true })
  stateId!: string | null;

  @ManyToOne(() => FlowRunStateEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'state_id', foreignKeyConstraintName: 'fk_flow_run__state_id__flow_run_state' })
  state?: Relation<FlowRunStateEntity>;

  @Column('uuid', { name: 'work_queue_id', nullable: true })
  workQueueId!: string | null;

  @ManyToOne(() => WorkQueueEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'work_queue_id', foreignKeyConstraintName: 'fk_flow_run__work_queue_id__work_queue' })
  workQueue?: Relation<WorkQueueEntity>;
}
