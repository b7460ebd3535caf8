import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation, Unique } from 'typeorm';
import { BaseRecordEntity } from './base-record.entity';
import { FlowRunEntity } from './flow-run.entity';

/** Table `flow_run_input` — see migrations/ for the authoritative DDL. */
@Entity('flow_run_input')
@Unique('uq_flow_run_input__flow_run_id_key', ['flowRunId', 'key'])
@Index('ix_flow_run_input__updated', ['updated'])
export class FlowRunInputEntity extends BaseRecordEntity {
  @Column('uuid', { name: 'flow_run_id' })
  flowRunId!: string;

  @ManyToOne(() => FlowRunEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'flow_run_id', foreignKeyConstraintName: 'fk_flow_run_input__flow_run_id__flow_run' })
  flowRun?: Relation<FlowRunEntity>;

  @Column('text')
  key!: string;

  @Column('text')
  value!: string;

  @Column('text', { nullable: true })
  sender!: string | null;
}
