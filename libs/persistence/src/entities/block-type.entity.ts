import { Column, Entity, Index } from 'typeorm';
import { BaseRecordEntity } from './base-record.entity';

/** Table `block_type` — see migrations/ for the authoritative DDL. */
@Entity('block_type')
@Index('ix_block_type__updated', ['updated'])
@Index('uq_block_type__slug', ['slug'], { unique: true })
// Not expressible in TypeORM: USING gin (name gin_trgm_ops)
@Index('trgm_ix_block_type_name', { synchronize: false })
export class BlockTypeEntity extends BaseRecordEntity {
  @Column('text')
  name!: string;

  @Column('text')
  slug!: string;

  @Column('text', { name: 'logo_url', nullable: true })
  logoUrl!: string | null;

  @Column('text', { name: 'documentation_url', nullable: true })
  documentationUrl!: string | null;

  @Column('text', { nullable: true })
  description!: string | null;

  @Column('text', { name: 'code_example', nullable: true })
  codeExample!: string | null;

  @Column('boolean', { name: 'is_protected', default: false })
  isProtected!: boolean;
}
