import { type Instant } from '@orrery/domain';
import { Column, Entity, Index } from 'typeorm';
import { INSTANT_TRANSFORMER } from '../instant.transformer';
import { BaseRecordEntity } from './base-record.entity';
import { type JsonObject } from './json';

/** Table `events` — see migrations/ for the authoritative DDL. */
@Entity('events')
@Index('ix_events__updated', ['updated'])
// Not expressible in TypeORM: (occurred, id) INCLUDE (event), migration 1795300600000
@Index('ix_events__occurred_id', { synchronize: false })
@Index('ix_events__event_occurred', ['event', 'occurred'])
@Index('ix_events__event_occurred_id', ['event', 'occurred', 'id'])
@Index('ix_events__event_resource_id_occurred', ['event', 'resourceId', 'occurred'])
@Index('ix_events__resource_id_occurred', ['resourceId', 'occurred'])
// Not expressible in TypeORM: USING gin (related_resource_ids)
@Index('ix_events__related_resource_ids_gin', { synchronize: false })
export class EventEntity extends BaseRecordEntity {
  @Column('timestamptz', { transformer: INSTANT_TRANSFORMER })
  occurred!: Instant;

  @Column('text')
  event!: string;

  @Column('text', { name: 'resource_id' })
  resourceId!: string;

  @Column('jsonb')
  resource!: unknown;

  @Column('jsonb', { name: 'related_resource_ids', default: [] })
  relatedResourceIds!: string[];

  @Column('jsonb', { default: [] })
  related!: unknown[];

  @Column('jsonb', { default: {} })
  payload!: JsonObject;

  @Column('timestamptz', { transformer: INSTANT_TRANSFORMER })
  received!: Instant;

  @Column('timestamptz', { transformer: INSTANT_TRANSFORMER })
  recorded!: Instant;

  @Column('uuid', { nullable: true })
  follows!: string | null;
}
