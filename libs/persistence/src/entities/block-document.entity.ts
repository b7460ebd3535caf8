import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { BaseRecordEntity } from './base-record.entity';
import { BlockSchemaEntity } from './block-schema.entity';
import { BlockTypeEntity } from './block-type.entity';
import { type JsonObject } from './json';

/** Table `block_document` — see migrations/ for the authoritative DDL. */
@Entity('block_document')
@Index('ix_block_document__updated', ['updated'])
@Index('uq_block__type_id_name', ['blockTypeId', 'name'], { unique: true })
@Index('ix_block_document__block_type_name__name', ['blockTypeName', 'name'])
@Index('ix_block_document__name', ['name'])
@Index('ix_block_document__is_anonymous', ['isAnonymous'])
// Not expressible in TypeORM: USING gin (name gin_trgm_ops)
@Index('trgm_ix_block_document_name', { synchronize: false })
export class BlockDocumentEntity extends BaseRecordEntity {
  @Column('text')
  name!: string;

  @Column('jsonb', { default: {} })
  data!: JsonObject;

  @Column('boolean', { name: 'is_anonymous', default: false })
  isAnonymous!: boolean;

  @Column('text', { name: 'block_type_name', nullable: true })
  blockTypeName!: string | null;

  @Column('uuid', { name: 'block_type_id' })
  blockTypeId!: string;

  @ManyToOne(() => BlockTypeEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'block_type_id',
    foreignKeyConstraintName: 'fk_block_document__block_type_id__block_type',
  })
  blockType?: Relation<BlockTypeEntity>;

  @Column('uuid', { name: 'block_schema_id' })
  blockSchemaId!: string;

  @ManyToOne(() => BlockSchemaEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'block_schema_id',
    foreignKeyConstraintName: 'fk_block_document__block_schema_id__block_schema',
  })
  blockSchema?: Relation<BlockSchemaEntity>;
}
