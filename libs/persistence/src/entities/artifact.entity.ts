import { Column, Entity, Index } from 'typeorm';
import { BaseRecordEntity } from './base-record.entity';

/** Table `artifact` — see migrations/ for the authoritative DDL. */
@Entity('artifact')
@Index('ix_artifact__updated', ['updated'])
@Index('ix_artifact__key', ['key'])
@Index('ix_artifact__created_id', ['created', 'id'])
// Not expressible in TypeORM: (key, created DESC) INCLUDE (id, updated, type, task_run_id, flow_run_id)
@Index('ix_artifact__key_created_desc', { synchronize: false })
@Index('ix_artifact__flow_run_id', ['flowRunId'])
@Index('ix_artifact__task_run_id', ['taskRunId'])
export class ArtifactEntity extends BaseRecordEntity {
  @Column('text', { nullable: true })
  key!: string | null;

  @Column('text', { nullable: true })
  type!: string | null;

  @Column('text', { nullable: true })
  description!: string | null;

  @Column('jsonb', { nullable: true })
  data!: unknown;

  @Column('jsonb', { name: 'metadata_', nullable: true })
  metadata!: unknown;

  @Column('uuid', { name: 'flow_run_id', nullable: true })
  flowRunId!: string | null;

  @Column('uuid', { name: 'task_run_id', nullable: true })
  taskRunId!: string | null;
}
