import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { BaseRecordEntity } from './base-record.entity';
import { BlockTypeEntity } from './block-type.entity';
import { type JsonObject } from './json';

/** Table `block_schema` — see migrations/ for the authoritative DDL. */
@Entity('block_schema')
@Index('ix_block_schema__updated', ['updated'])
@Index('uq_block_schema__checksum_version', ['checksum', 'version'], { unique: true })
@Index('ix_block_schema__block_type_id', ['blockTypeId'])
@Index('ix_block_schema__created', ['created'])
// Not expressible in TypeORM: USING gin (capabilities)
@Index('ix_block_schema__capabilities', { synchronize: false })
export class BlockSchemaEntity extends BaseRecordEntity {
  @Column('text')
  checksum!: string;

  @Column('jsonb', { default: {} })
  fields!: JsonObject;

  @Column('jsonb', { default: [] })
  capabilities!: string[];

  @Column('text', { default: 'non-versioned' })
  version!: string;

  @Column('uuid', { name: 'block_type_id' })
  blockTypeId!: string;

  @ManyToOne(() => BlockTypeEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'block_type_id',
    foreignKeyConstraintName: 'fk_block_schema__block_type_id__block_type',
  })
  blockType?: Relation<BlockTypeEntity>;
}
