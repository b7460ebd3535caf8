import { Column, Entity, Index, Unique } from 'typeorm';
import { BaseRecordEntity } from './base-record.entity';

/** Table `variable` — see migrations/ for the authoritative DDL. */
@Entity('variable')
@Unique('uq_variable__name', ['name'])
@Index('ix_variable__updated', ['updated'])
export class VariableEntity extends BaseRecordEntity {
  @Column('text')
  name!: string;

  @Column('jsonb', { nullable: true })
  value!: unknown;

  @Column('jsonb', { default: [] })
  tags!: string[];
}
