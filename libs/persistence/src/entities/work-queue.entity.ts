import { type Instant } from '@orrery/domain';
import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation, Unique } from 'typeorm';
import { INSTANT_TRANSFORMER } from '../instant.transformer';
import { BaseRecordEntity } from './base-record.entity';
import { WorkPoolEntity } from './work-pool.entity';
import { WORK_QUEUE_STATUSES, type WorkQueueStatus } from './status-enums';

/** Table `work_queue` — see migrations/ for the authoritative DDL. */
@Entity('work_queue')
@Unique('uq_work_queue__work_pool_id_name', ['workPoolId', 'name'])
@Index('ix_work_queue__updated', ['updated'])
@Index('ix_work_queue__work_pool_id', ['workPoolId'])
@Index('ix_work_queue__work_pool_id_priority', ['workPoolId', 'priority'])
// Not expressible in TypeORM: USING gin (name gin_trgm_ops)
@Index('trgm_ix_work_queue_name', { synchronize: false })
export class WorkQueueEntity extends BaseRecordEntity {
  @Column('text')
  name!: string;

  @Column('text', { default: '' })
  description!: string;

  @Column('boolean', { name: 'is_paused', default: false })
  isPaused!: boolean;

  @Column('integer', { name: 'concurrency_limit', nullable: true })
  concurrencyLimit!: number | null;

  @Column('integer')
  priority!: number;

  @Column('timestamptz', { name: 'last_polled', nullable: true, transformer: INSTANT_TRANSFORMER })
  lastPolled!: Instant | null;

  @Column({ type: 'enum', enum: WORK_QUEUE_STATUSES, enumName: 'work_queue_status', default: 'NOT_READY' })
  status!: WorkQueueStatus;

  @Column('jsonb', { nullable: true })
  filter!: unknown;

  @Column('uuid', { name: 'work_pool_id' })
  workPoolId!: string;

  @ManyToOne(() => WorkPoolEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'work_pool_id', foreignKeyConstraintName: 'fk_work_queue__work_pool_id__work_pool' })
  workPool?: Relation<WorkPoolEntity>;
}
