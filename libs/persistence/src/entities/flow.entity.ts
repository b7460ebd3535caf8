import { Column, Entity, Index, Unique } from 'typeorm';
import { BaseRecordEntity } from './base-record.entity';
import { type JsonObject } from './json';

/** Table `flow` — see migrations/ for the authoritative DDL. */
@Entity('flow')
@Unique('uq_flow__name', ['name'])
@Index('ix_flow__updated', ['updated'])
@Index('ix_flow__created', ['created'])
// Not expressible in TypeORM: USING gin (name gin_trgm_ops)
@Index('trgm_ix_flow_name', { synchronize: false })
export class FlowEntity extends BaseRecordEntity {
  @Column('text')
  name!: string;

  @Column('jsonb', { default: [] })
  tags!: string[];

  @Column('jsonb', { nullable: true })
  labels!: JsonObject | null;
}
