import { type Instant } from '@orrery/domain';
import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { INSTANT_TRANSFORMER } from '../instant.transformer';
import { BaseRecordEntity } from './base-record.entity';
import { BlockDocumentEntity } from './block-document.entity';
import { ConcurrencyLimitV2Entity } from './concurrency-limit-v2.entity';
import { FlowEntity } from './flow.entity';
import { type JsonObject } from './json';
import { WorkQueueEntity } from './work-queue.entity';
import { DEPLOYMENT_STATUSES, type DeploymentStatus } from './status-enums';

/** Table `deployment` — see migrations/ for the authoritative DDL. */
@Entity('deployment')
@Index('ix_deployment__updated', ['updated'])
@Index('uq_deployment__flow_id_name', ['flowId', 'name'], { unique: true })
@Index('ix_deployment__created', ['created'])
@Index('ix_deployment__flow_id', ['flowId'])
@Index('ix_deployment__work_queue_id', ['workQueueId'])
@Index('ix_deployment__work_queue_name', ['workQueueName'])
@Index('ix_deployment__paused', ['paused'])
// Not expressible in TypeORM: USING gin (name gin_trgm_ops)
@Index('trgm_ix_deployment_name', { synchronize: false })
export class DeploymentEntity extends BaseRecordEntity {
  @Column('text')
  name!: string;

  @Column('text', { nullable: true })
  version!: string | null;

  @Column('text', { nullable: true })
  description!: string | null;

  @Column('uuid', { name: 'flow_id' })
  flowId!: string;

  @ManyToOne(() => FlowEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'flow_id', foreignKeyConstraintName: 'fk_deployment__flow_id__flow' })
  flow?: Relation<FlowEntity>;

  @Column('text', { name: 'work_queue_name', nullable: true })
  workQueueName!: string | null;

  @Column('uuid', { name: 'work_queue_id', nullable: true })
  workQueueId!: string | null;

  @ManyToOne(() => WorkQueueEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'work_queue_id', foreignKeyConstraintName: 'fk_deployment__work_queue_id__work_queue' })
  workQueue?: Relation<WorkQueueEntity>;

  @Column('jsonb', { name: 'infra_overrides', default: {} })
  infraOverrides!: JsonObject;

  @Column('text', { nullable: true })
  path!: string | null;

  @Column('text', { nullable: true })
  entrypoint!: string | null;

  @Column('jsonb', { name: 'pull_steps', nullable: true })
  pullSteps!: unknown;

  @Column('jsonb', { default: {} })
  parameters!: JsonObject;

  @Column('jsonb', { name: 'parameter_openapi_schema', nullable: true })
  parameterOpenapiSchema!: unknown;

  @Column('boolean', { name: 'enforce_parameter_schema', default: true })
  enforceParameterSchema!: boolean;

  @Column('boolean', { default: false })
  paused!: boolean;

  @Column('jsonb', { default: [] })
  tags!: string[];

  @Column('jsonb', { nullable: true })
  labels!: JsonObject | null;

  @Column('timestamptz', { name: 'last_polled', nullable: true, transformer: INSTANT_TRANSFORMER })
  lastPolled!: Instant | null;

  @Column({ type: 'enum', enum: DEPLOYMENT_STATUSES, enumName: 'deployment_status', default: 'NOT_READY' })
  status!: DeploymentStatus;

  @Column('integer', { name: 'concurrency_limit', nullable: true })
  concurrencyLimit!: number | null;

  @Column('uuid', { name: 'concurrency_limit_id', nullable: true })
  concurrencyLimitId!: string | null;

  @ManyToOne(() => ConcurrencyLimitV2Entity, { onDelete: 'SET NULL' })
  @JoinColumn({
    name: 'concurrency_limit_id',
    foreignKeyConstraintName: 'fk_deployment__concurrency_limit_id__concurrency_limit_v2',
  })
  globalConcurrencyLimit?: Relation<ConcurrencyLimitV2Entity>;

  @Column('jsonb', { name: 'concurrency_options', nullable: true })
  concurrencyOptions!: unknown;

  @Column('jsonb', { name: 'created_by', nullable: true })
  createdBy!: unknown;

  @Column('jsonb', { name: 'updated_by', nullable: true })
  updatedBy!: unknown;

  @Column('uuid', { name: 'storage_document_id', nullable: true })
  storageDocumentId!: string | null;

  @ManyToOne(() => BlockDocumentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'storage_document_id',
    foreignKeyConstraintName: 'fk_deployment__storage_document_id__block_document',
  })
  storageDocument?: Relation<BlockDocumentEntity>;

  @Column('uuid', { name: 'infrastructure_document_id', nullable: true })
  infrastructureDocumentId!: string | null;

  @ManyToOne(() => BlockDocumentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'infrastructure_document_id',
    foreignKeyConstraintName: 'fk_deployment__infrastructure_document_id__block_document',
  })
  infrastructureDocument?: Relation<BlockDocumentEntity>;
}
