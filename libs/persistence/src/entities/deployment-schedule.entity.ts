import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { BaseRecordEntity } from './base-record.entity';
import { DeploymentEntity } from './deployment.entity';
import { type JsonObject } from './json';

/** Table `deployment_schedule` — see migrations/ for the authoritative DDL. */
@Entity('deployment_schedule')
@Index('ix_deployment_schedule__updated', ['updated'])
@Index('ix_deployment_schedule__deployment_id', ['deploymentId'])
@Index('ix_deployment_schedule__deployment_id__slug', ['deploymentId', 'slug'], { unique: true })
@Index('ix_deployment_schedule__slug', ['slug'])
export class DeploymentScheduleEntity extends BaseRecordEntity {
  @Column('uuid', { name: 'deployment_id' })
  deploymentId!: string;

  @ManyToOne(() => DeploymentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'deployment_id',
    foreignKeyConstraintName: 'fk_deployment_schedule__deployment_id__deployment',
  })
  deployment?: Relation<DeploymentEntity>;

  @Column('jsonb')
  schedule!: unknown;

  @Column('boolean', { default: true })
  active!: boolean;

  @Column('integer', { name: 'max_scheduled_runs', nullable: true })
  maxScheduledRuns!: number | null;

  @Column('jsonb', { default: {} })
  parameters!: JsonObject;

  @Column('text', { nullable: true })
  slug!: string | null;
}
