import { Column, Entity, Index, Unique } from 'typeorm';
import { BaseRecordEntity } from './base-record.entity';

/** Table `artifact_collection` — see migrations/ for the authoritative DDL. */
@Entity('artifact_collection')
@Unique('uq_artifact_collection__key', ['key'])
@Index('ix_artifact_collection__updated', ['updated'])
@Index('ix_artifact_collection__key_latest_id', ['key', 'latestId'])
export class ArtifactCollectionEntity extends BaseRecordEntity {
  @Column('text')
  key!: string;

  @Column('uuid', { name: 'latest_id' })
  latestId!: string;

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
