import { Column, Entity, Index } from 'typeorm';
import { BaseRecordEntity } from './base-record.entity';

/** Table `concurrency_limit` — see migrations/ for the authoritative DDL. */
@Entity('concurrency_limit')
@Index('ix_concurrency_limit__updated', ['updated'])
@Index('uq_concurrency_limit__tag', ['tag'], { unique: true })
export class ConcurrencyLimitEntity extends BaseRecordEntity {
  @Column('text')
  tag!: string;

  @Column('integer', { name: 'concurrency_limit' })
  concurrencyLimit!: number;

  @Column('jsonb', { name: 'active_slots', default: [] })
  activeSlots!: unknown[];
}
