import { type Instant } from '@orrery/domain';
import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation, Unique } from 'typeorm';
import { INSTANT_TRANSFORMER } from '../instant.transformer';
import { BaseRecordEntity } from './base-record.entity';
import { WorkPoolEntity } from './work-pool.entity';
import { WORKER_STATUSES, type WorkerStatus } from './status-enums';

/** Table `worker` — see migrations/ for the authoritative DDL. */
@Entity('worker')
@Unique('uq_worker__work_pool_id_name', ['workPoolId', 'name'])
@Index('ix_worker__updated', ['updated'])
@Index('ix_worker__work_pool_id', ['workPoolId'])
@Index('ix_worker__work_pool_id_last_heartbeat_time', ['workPoolId', 'lastHeartbeatTime'])
export class WorkerEntity extends BaseRecordEntity {
  @Column('uuid', { name: 'work_pool_id' })
  workPoolId!: string;

  @ManyToOne(() => WorkPoolEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'work_pool_id', foreignKeyConstraintName: 'fk_worker__work_pool_id__work_pool' })
  workPool?: Relation<WorkPoolEntity>;

  @Column('text')
  name!: string;

  @Column('timestamptz', {
    name: 'last_heartbeat_time',
    default: () => 'now()',
    transformer: INSTANT_TRANSFORMER,
  })
  lastHeartbeatTime!: Instant;

  @Column('integer', { name: 'heartbeat_interval_seconds', nullable: true })
  heartbeatIntervalSeconds!: number | null;

  @Column({ type: 'enum', enum: WORKER_STATUSES, enumName: 'worker_status', default: 'OFFLINE' })
  status!: WorkerStatus;
}
