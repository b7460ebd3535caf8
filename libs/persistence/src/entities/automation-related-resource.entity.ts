import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { BaseRecordEntity } from './base-record.entity';
import { AutomationEntity } from './automation.entity';

/** Table `automation_related_resource` — see migrations/ for the authoritative DDL. */
@Entity('automation_related_resource')
@Index('ix_automation_related_resource__updated', ['updated'])
@Index('uq_automation_related_resource__automation_id__resource_id', ['automationId', 'resourceId'], {
  unique: true,
})
@Index('ix_automation_related_resource__resource_id', ['resourceId'])
export class AutomationRelatedResourceEntity extends BaseRecordEntity {
  @Column('uuid', { name: 'automation_id' })
  automationId!: string;

  @ManyToOne(() => AutomationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'automation_id',
    foreignKeyConstraintName: 'fk_automation_related_resource__automation_id__automation',
  })
  automation?: Relation<AutomationEntity>;

  @Column('text', { name: 'resource_id', nullable: true })
  resourceId!: string | null;

  @Column('boolean', { name: 'automation_owned_by_resource', default: false })
  automationOwnedByResource!: boolean;
}
