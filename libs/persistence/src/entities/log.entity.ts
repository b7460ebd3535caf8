import { type Instant } from '@orrery/domain';
import { Column, Entity, Index } from 'typeorm';
import { INSTANT_TRANSFORMER } from '../instant.transformer';
import { BaseRecordEntity } from './base-record.entity';

/** Table `log` — see migrations/ for the authoritative DDL. */
@Entity('log')
@Index('ix_log__updated', ['updated'])
@Index('ix_log__level', ['level'])
@Index('ix_log__flow_run_id', ['flowRunId'])
@Index('ix_log__task_run_id', ['taskRunId'])
@Index('ix_log__timestamp', ['timestamp'])
@Index('ix_log__flow_run_id_timestamp', ['flowRunId', 'timestamp'])
export class LogEntity extends BaseRecordEntity {
  @Column('text')
  name!: string;

  @Column('smallint')
  level!: number;

  @Column('uuid', { name: 'flow_run_id', nullable: true })
  flowRunId!: string | null;

  @Column('uuid', { name: 'task_run_id', nullable: true })
  taskRunId!: string | null;

  @Column('text')
  message!: string;

  @Column('timestamptz', { transformer: INSTANT_TRANSFORMER })
  timestamp!: Instant;
}
