import { Column, Entity, Index, Unique } from 'typeorm';
import { BaseRecordEntity } from './base-record.entity';

/** Table `concurrency_limit_v2` — see migrations/ for the authoritative DDL. */
@Entity('concurrency_limit_v2')
@Unique('uq_concurrency_limit_v2__name', ['name'])
@Index('ix_concurrency_limit_v2__updated', ['updated'])
export class ConcurrencyLimitV2Entity extends BaseRecordEntity {
  @Column('boolean', { default: true })
  active!: boolean;

  @Column('text')
  name!: string;

  @Column('integer')
  limit!: number;

  @Column('integer', { name: 'active_slots', default: 0 })
  activeSlots!: number;

  @Column('integer', { name: 'denied_slots', default: 0 })
  deniedSlots!: number;

  @Column('double precision', { name: 'slot_decay_per_second', default: 0 })
  slotDecayPerSecond!: number;

  @Column('double precision', { name: 'avg_slot_occupancy_seconds', default: 2 })
  avgSlotOccupancySeconds!: number;
}
