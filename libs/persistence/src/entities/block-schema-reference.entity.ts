import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { BaseRecordEntity } from './base-record.entity';
import { BlockSchemaEntity } from './block-schema.entity';

/** Table `block_schema_reference` — see migrations/ for the authoritative DDL. */
@Entity('block_schema_reference')
@Index('ix_block_schema_reference__updated', ['updated'])
export class BlockSchemaReferenceEntity extends BaseRecordEntity {
  @Column('text')
  name!: string;

  @Column('uuid', { name: 'parent_block_schema_id' })
  parentBlockSchemaId!: string;

  @ManyToOne(() => BlockSchemaEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'parent_block_schema_id',
    foreignKeyConstraintName: 'fk_block_schema_reference__parent_block_schema_id__block_schema',
  })
  parentBlockSchema?: Relation<BlockSchemaEntity>;

  @Column('uuid', { name: 'reference_block_schema_id' })
  referenceBlockSchemaId!: string;

  @ManyToOne(() => BlockSchemaEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'reference_block_schema_id',
    foreignKeyConstraintName: 'fk_block_schema_reference__reference_block_schema_id__block_sch',
  })
  referenceBlockSchema?: Relation<BlockSchemaEntity>;
}
