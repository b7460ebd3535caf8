import { type Instant } from '@orrery/domain';
import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { INSTANT_TRANSFORMER } from '../instant.transformer';
import { BaseRecordEntity } from './base-record.entity';
import { AutomationEntity } from './automation.entity';

/** Table `composite_trigger_child_firing` — see migrations/ for the authoritative DDL. */
@Entity('composite_trigger_child_firing')
@Index('ix_composite_trigger_child_firing__updated', ['updated'])
@Index(
  'uq_composite_trigger_child_firing__a_id__pt_id__ct__id',
  ['automationId', 'parentTriggerId', 'childTriggerId'],
  { unique: true },
)
export class CompositeTriggerChildFiringEntity extends BaseRecordEntity {
  @Column('uuid', { name: 'automation_id' })
  automationId!: string;

  @ManyToOne(() => AutomationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'automation_id',
    foreignKeyConstraintName: 'fk_composite_trigger_child_firing__automation_id__automation',
  })
  automation?: Relation<AutomationEntity>;

  @Column('uuid', { name: 'parent_trigger_id' })
  parentTriggerId!: string;

  @Column('uuid', { name: 'child_trigger_id' })
  childTriggerId!: string;

  @Column('uuid', { name: 'child_firing_id' })
  childFiringId!: string;

  @Column('timestamptz', { name: 'child_fired_at', nullable: true, transformer: INSTANT_TRANSFORMER })
  childFiredAt!: Instant | null;

  @Column('jsonb', { name: 'child_firing' })
  childFiring!: unknown;
}
