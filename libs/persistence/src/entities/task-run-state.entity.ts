import { type Instant, STATE_TYPES, type StateType } from '@orrery/domain';
import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { INSTANT_TRANSFORMER } from '../instant.transformer';
import { BaseRecordEntity } from './base-record.entity';
import { ArtifactEntity } from './artifact.entity';
import { type JsonObject } from './json';
import { TaskRunEntity } from './task-run.entity';

/** Table `task_run_state` — see migrations/ for the authoritative DDL. */
@Entity('task_run_state')
@Index('ix_task_run_state__updated', ['updated'])
// Not expressible in TypeORM: UNIQUE (task_run_id, "timestamp" DESC)
@Index('uq_task_run_state__task_run_id_timestamp_desc', { synchronize: false })
@Index('ix_task_run_state__type', ['type'])
@Index('ix_task_run_state__name', ['name'])
@Index('ix_task_run_state__result_artifact_id', ['resultArtifactId'])
export class TaskRunStateEntity extends BaseRecordEntity {
  @Column('uuid', { name: 'task_run_id' })
  taskRunId!: string;

  @ManyToOne(() => TaskRunEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'task_run_id', foreignKeyConstraintName: 'fk_task_run_state__task_run_id__task_run' })
  taskRun?: Relation<TaskRunEntity>;

  @Column({ type: 'enum', enum: STATE_TYPES, enumName: 'state_type' })
  type!: StateType;

  @Column('timestamptz', { default: () => 'now()', transformer: INSTANT_TRANSFORMER })
  timestamp!: Instant;

  @Column('text')
  name!: string;

  @Column('text', { nullable: true })
  message!: string | null;

  @Column('jsonb', { name: 'state_details', default: {} })
  stateDetails!: JsonObject;

  @Column('jsonb', { nullable: true })
  data!: unknown;

  @Column('uuid', { name: 'result_artifact_id', nullable: true })
  resultArtifactId!: string | null;

  @ManyToOne(() => ArtifactEntity, { onDelete: 'SET NULL' })
  @JoinColumn({
    name: 'result_artifact_id',
    foreignKeyConstraintName: 'fk_task_run_state__result_artifact_id__artifact',
  })
  resultArtifact?: Relation<ArtifactEntity>;
}
