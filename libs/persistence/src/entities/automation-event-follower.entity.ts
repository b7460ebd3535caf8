import { type Instant } from '@orrery/domain';
import { Column, Entity, Index } from 'typeorm';
import { INSTANT_TRANSFORMER } from '../instant.transformer';
import { BaseRecordEntity } from './base-record.entity';

/** Table `automation_event_follower` — see migrations/ for the authoritative DDL. */
@Entity('automation_event_follower')
@Index('ix_automation_event_follower__updated', ['updated'])
@Index('uq_follower_for_scope', ['scope', 'followerEventId'], { unique: true })
@Index('ix_ae_follower_scope_leader', ['scope', 'leaderEventId'])
@Index('ix_automation_event_follower__leader_event_id', ['leaderEventId'])
@Index('ix_automation_event_follower__received', ['received'])
export class AutomationEventFollowerEntity extends BaseRecordEntity {
  @Column('text', { default: '' })
  scope!: string;

  @Column('uuid', { name: 'leader_event_id' })
  leaderEventId!: string;

  @Column('uuid', { name: 'follower_event_id' })
  followerEventId!: string;

  @Column('timestamptz', { transformer: INSTANT_TRANSFORMER })
  received!: Instant;

  @Column('jsonb')
  follower!: unknown;
}
