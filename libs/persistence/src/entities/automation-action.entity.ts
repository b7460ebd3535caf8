import { Column, Entity, Index } from 'typeorm';
import { BaseRecordEntity } from './base-record.entity';

/** Table `automation_action` (the actions service's ledger) — see migrations/ for the authoritative DDL. */
@Entity('automation_action')
@Index('ix_automation_action__updated', ['updated'])
@Index('ix_automation_action__automation_id', ['automationId'])
export class AutomationActionEntity extends BaseRecordEntity {
  @Column('uuid', { name: 'automation_id' })
  automationId!: string;

  @Column('uuid', { name: 'firing_id', nullable: true })
  firingId!: string | null;

  @Column('integer', { name: 'action_index' })
  actionIndex!: number;

  @Column('text', { name: 'action_type' })
  actionType!: string;

  @Column('text', { default: 'STARTED' })
  state!: string;

  @Column('integer', { default: 1 })
  attempts!: number;
}
