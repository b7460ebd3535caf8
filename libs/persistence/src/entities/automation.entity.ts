import { Column, Entity, Index } from 'typeorm';
import { BaseRecordEntity } from './base-record.entity';

/** Table `automation` — see migrations/ for the authoritative DDL. */
@Entity('automation')
@Index('ix_automation__updated', ['updated'])
export class AutomationEntity extends BaseRecordEntity {
  @Column('text')
  name!: string;

  @Column('text', { default: '' })
  description!: string;

  @Column('boolean', { default: true })
  enabled!: boolean;

  @Column('jsonb', { default: [] })
  tags!: string[];

  @Column('jsonb')
  trigger!: unknown;

  @Column('jsonb')
  actions!: unknown;

  @Column('jsonb', { name: 'actions_on_trigger', default: [] })
  actionsOnTrigger!: unknown[];

  @Column('jsonb', { name: 'actions_on_resolve', default: [] })
  actionsOnResolve!: unknown[];
}
