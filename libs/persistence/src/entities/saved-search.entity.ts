import { Column, Entity, Index, Unique } from 'typeorm';
import { BaseRecordEntity } from './base-record.entity';

/** Table `saved_search` — see migrations/ for the authoritative DDL. */
@Entity('saved_search')
@Unique('uq_saved_search__name', ['name'])
@Index('ix_saved_search__updated', ['updated'])
export class SavedSearchEntity extends BaseRecordEntity {
  @Column('text')
  name!: string;

  @Column('jsonb', { default: [] })
  filters!: unknown[];
}
