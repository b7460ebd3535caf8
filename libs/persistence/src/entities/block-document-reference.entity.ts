import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { BaseRecordEntity } from './base-record.entity';
import { BlockDocumentEntity } from './block-document.entity';

/** Table `block_document_reference` — see migrations/ for the authoritative DDL. */
@Entity('block_document_reference')
@Check(
  'ck_block_document_reference__no_self_reference',
  `(parent_block_document_id <> reference_block_document_id`,
)
@Index('ix_block_document_reference__updated', ['updated'])
export class BlockDocumentReferenceEntity extends BaseRecordEntity {
  @Column('text')
  name!: string;

  @Column('uuid', { name: 'parent_block_document_id' })
  parentBlockDocumentId!: string;

  @ManyToOne(() => BlockDocumentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'parent_block_document_id',
    foreignKeyConstraintName: 'fk_block_document_reference__parent_block_document_id__block_do',
  })
  parentBlockDocument?: Relation<BlockDocumentEntity>;

  @Column('uuid', { name: 'reference_block_document_id' })
  referenceBlockDocumentId!: string;

  @ManyToOne(() => BlockDocumentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'reference_block_document_id',
    foreignKeyConstraintName: 'fk_block_document_reference__reference_block_document_id__block',
  })
  referenceBlockDocument?: Relation<BlockDocumentEntity>;
}
