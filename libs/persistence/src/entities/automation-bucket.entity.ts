import { type Instant } from '@orrery/domain';
import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { INSTANT_TRANSFORMER } from '../instant.transformer';
import { BaseRecordEntity } from './base-record.entity';
import { AutomationEntity } from './automation.entity';

/** Table `automation_bucket` — see migrations/ for the authoritative DDL. */
@Entity('automation_bucket')
@Index('ix_automation_bucket__updated', ['updated'])
@Index(
  'uq_automation_bucket__automation_id__trigger_id__bucketing_key',
  ['automationId', 'triggerId', 'bucketingKey'],
  { unique: true },
)
@Index('ix_automation_bucket__automation_id__end', ['automationId', 'end'])
export class AutomationBucketEntity extends BaseRecordEntity {
  @Column('uuid', { name: 'automation_id' })
  automationId!: string;

  @ManyToOne(() => AutomationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'automation_id',
    foreignKeyConstraintName: 'fk_automation_bucket__automation_id__automation',
  })
  automation?: Relation<AutomationEntity>;

  @Column('uuid', { name: 'trigger_id' })
  triggerId!: string;

  @Column('jsonb', { name: 'bucketing_key', default: [] })
  bucketingKey!: unknown[];

  @Column('jsonb', { name: 'last_event', nullable: true })
  lastEvent!: unknown;

  @Column('timestamptz', { transformer: INSTANT_TRANSFORMER })
  start!: Instant;

  @Column('timestamptz', { transformer: INSTANT_TRANSFORMER })
  end!: Instant;

  @Column('integer')
  count!: number;

  @Column('text', { name: 'last_operation', nullable: true })
  lastOperation!: string | null;

  @Column('timestamptz', { name: 'triggered_at', nullable: true, transformer: INSTANT_TRANSFORMER })
  triggeredAt!: Instant | null;
}
