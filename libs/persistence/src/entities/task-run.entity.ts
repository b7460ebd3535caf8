import { type Instant, STATE_TYPES, type StateType } from '@orrery/domain';
import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { INSTANT_TRANSFORMER } from '../instant.transformer';
import { INTERVAL_SECONDS_TRANSFORMER } from '../interval-seconds.transformer';
import { BaseRecordEntity } from './base-record.entity';
import { FlowRunEntity } from './flow-run.entity';
import { type JsonObject } from './json';

/** Table `task_run` — see migrations/ for the authoritative DDL. */
@Entity('task_run')
@Index('ix_task_run__updated', ['updated'])
@Index('uq_task_run__flow_run_id_task_key_dynamic_key', ['flowRunId', 'taskKey', 'dynamicKey'], {
  unique: true,
})
@Index('ix_task_run__flow_run_id', ['flowRunId'])
@Index('ix_task_run__state_id', ['stateId'])
@Index('ix_task_run__name', ['name'])
@Index('ix_task_run__state_type', ['stateType'])
@Index('ix_task_run__state_type_start_time', ['stateType', 'startTime'])
@Index('ix_task_run__state_name', ['stateName'])
@Index('ix_task_run__state_timestamp', ['stateTimestamp'])
@Index('ix_task_run__start_time', ['startTime'])
// Not expressible in TypeORM: (end_time DESC)
@Index('ix_task_run__end_time_desc', { synchronize: false })
// Not expressible in TypeORM: (expected_start_time DESC, id DESC) INCLUDE (…), migration 1795300600000
@Index('ix_task_run__expected_start_time_desc_id', { synchronize: false })
@Index('ix_task_run__next_scheduled_start_time_asc', ['nextScheduledStartTime'])
// Not expressible in TypeORM: USING gin (name gin_trgm_ops)
@Index('trgm_ix_task_run_name', { synchronize: false })
export class TaskRunEntity extends BaseRecordEntity {
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

  @Column('uuid', { name: 'flow_run_id', nullable: true })
  flowRunId!: string | null;

  @ManyToOne(() => FlowRunEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'flow_run_id', foreignKeyConstraintName: 'fk_task_run__flow_run_id__flow_run' })
  flowRun?: Relation<FlowRunEntity>;

  @Column('text', { name: 'task_key' })
  taskKey!: string;

  @Column('text', { name: 'dynamic_key' })
  dynamicKey!: string;

  @Column('text', { name: 'cache_key', nullable: true })
  cacheKey!: string | null;

  @Column('timestamptz', { name: 'cache_expiration', nullable: true, transformer: INSTANT_TRANSFORMER })
  cacheExpiration!: Instant | null;

  @Column('text', { name: 'task_version', nullable: true })
  taskVersion!: string | null;

  @Column('integer', { name: 'flow_run_run_count', default: 0 })
  flowRunRunCount!: number;

  @Column('jsonb', { name: 'empirical_policy', default: {} })
  empiricalPolicy!: JsonObject;

  @Column('jsonb', { name: 'task_inputs', default: {} })
  taskInputs!: JsonObject;

  @Column('jsonb', { default: [] })
  tags!: string[];

  @Column('jsonb', { nullable: true })
  labels!: JsonObject | null;

  @Column('uuid', { name: 'state_id', nullable: true })
  stateId!: string | null;
}
