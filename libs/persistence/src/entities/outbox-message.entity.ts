import { type Instant } from '@orrery/domain';
import { Column, Entity, Index } from 'typeorm';
import { INSTANT_TRANSFORMER } from '../instant.transformer';
import { BaseRecordEntity } from './base-record.entity';
import { type JsonObject } from './json';

/** Table `outbox` — see migrations/ for the authoritative DDL. */
@Entity('outbox')
@Index('ix_outbox__updated', ['updated'])
// Not expressible in TypeORM: (created) WHERE published_at IS NULL
@Index('ix_outbox__unpublished', { synchronize: false })
export class OutboxMessageEntity extends BaseRecordEntity {
  @Column('text')
  topic!: string;

  @Column('jsonb')
  data!: unknown;

  @Column('jsonb', { default: {} })
  attributes!: JsonObject;

  @Column('timestamptz', { name: 'published_at', nullable: true, transformer: INSTANT_TRANSFORMER })
  publishedAt!: Instant | null;
}
