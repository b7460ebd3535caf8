import { Column, Entity, Index, Unique } from 'typeorm';
import { BaseRecordEntity } from './base-record.entity';

/** Table `configuration` — see migrations/ for the authoritative DDL. */
@Entity('configuration')
@Unique('uq_configuration__key', ['key'])
@Index('ix_configuration__updated', ['updated'])
export class ConfigurationEntity extends BaseRecordEntity {
  @Column('text')
  key!: string;

  @Column('jsonb')
  value!: unknown;
}
