import { type Instant } from '@orrery/domain';
import { Column, Entity, Index, Unique } from 'typeorm';
import { INSTANT_TRANSFORMER } from '../instant.transformer';
import { BaseRecordEntity } from './base-record.entity';

/** Table `csrf_token` — see migrations/ for the authoritative DDL. */
@Entity('csrf_token')
@Unique('uq_csrf_token__client', ['client'])
@Index('ix_csrf_token__updated', ['updated'])
export class CsrfTokenEntity extends BaseRecordEntity {
  @Column('text')
  token!: string;

  @Column('text')
  client!: string;

  @Column('timestamptz', { transformer: INSTANT_TRANSFORMER })
  expiration!: Instant;
}
