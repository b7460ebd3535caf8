import { type Instant } from '@orrery/domain';
import { Column, Entity, Index } from 'typeorm';
import { INSTANT_TRANSFORMER } from '../instant.transformer';
import { BaseRecordEntity } from './base-record.entity';

/** Table `event_resources` — see migrations/ for the authoritative DDL. */
@Entity('event_resources')
@Index('ix_event_resources__updated', ['updated'])
@Index('ix_event_resources__resource_id__occurred', ['resourceId', 'occurred'])
@Index('ix_event_resources__occurred', ['occurred'])
@Index('ix_event_resources__event_id', ['eventId'])
export class EventResourceEntity extends BaseRecordEntity {
  @Column('timestamptz', { transformer: INSTANT_TRANSFORMER })
  occurred!: Instant;

  @Column('text', { name: 'resource_id' })
  resourceId!: string;

  @Column('text', { name: 'resource_role' })
  resourceRole!: string;

  @Column('jsonb')
  resource!: unknown;

  @Column('uuid', { name: 'event_id' })
  eventId!: string;
}
