import { type Instant } from '@orrery/domain';
import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation, Unique } from 'typeorm';
import { INSTANT_TRANSFORMER } from '../instant.transformer';
import { BaseRecordEntity } from './base-record.entity';
import { type JsonObject } from './json';
import { WorkQueueEntity } from './work-queue.entity';
import { WORK_POOL_STATUSES, type WorkPoolStatus } from './status-enums';

/** Table `work_pool` — see migrations/ for the authoritative DDL. */
@Entity('work_pool')
@Unique('uq_work_pool__name', ['name'])
@Index('ix_work_pool__updated', ['updated'])
@Index('ix_work_pool__type', ['type'])
export class WorkPoolEntity extends BaseRecordEntity {
  @Column('text')
  name!: string;

  @Column('text', { nullable: true })
  description!: string | null;

  @Column('text')
  type!: string;

  @Column('jsonb', { name: 'base_job_template', default: {} })
  baseJobTemplate!: JsonObject;

  @Column('boolean', { name: 'is_paused', default: false })
  isPaused!: boolean;

  @Column('uuid', { name: 'default_queue_id', nullable: true })
  defaultQueueId!: string | null;

  @ManyToOne(() => WorkQueueEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'default_queue_id',
    foreignKeyConstraintName: 'fk_work_pool__default_queue_id__work_queue',
  })
  defaultQueue?: Relation<WorkQueueEntity>;

  @Column('integer', { name: 'concurrency_limit', nullable: true })
  concurrencyLimit!: number | null;

  @Column({ type: 'enum', enum: WORK_POOL_STATUSES, enumName: 'work_pool_status', default: 'NOT_READY' })
  status!: WorkPoolStatus;

  @Column('timestamptz', {
    name: 'last_transitioned_status_at',
    nullable: true,
    transformer: INSTANT_TRANSFORMER,
  })
  lastTransitionedStatusAt!: Instant | null;

  @Column('uuid', { name: 'last_status_event_id', nullable: true })
  lastStatusEventId!: string | null;

  @Column('jsonb', { name: 'storage_configuration', default: {} })
  storageConfiguration!: JsonObject;
}
