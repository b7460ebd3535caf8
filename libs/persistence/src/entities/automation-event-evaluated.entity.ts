import { type Instant } from '@orrery/domain';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { INSTANT_TRANSFORMER } from '../instant.transformer';

/**
 * Table `automation_event_evaluated` — the (event, trigger) pairs the triggers service has evaluated,
 * until `expires`; see migrations/ for the authoritative DDL. No id/created/updated: the key is the
 * pair (and the automation). Serving indexes: pk_automation_event_evaluated (the evaluation's
 * `INSERT … ON CONFLICT DO NOTHING`), ix_automation_event_evaluated__expires (the housekeeping's
 * delete of expired rows).
 */
@Entity('automation_event_evaluated')
@Index('ix_automation_event_evaluated__expires', ['expires'])
export class AutomationEventEvaluatedEntity {
  @PrimaryColumn('uuid', { name: 'event_id', primaryKeyConstraintName: 'pk_automation_event_evaluated' })
  eventId!: string;

  @PrimaryColumn('uuid', { name: 'trigger_id', primaryKeyConstraintName: 'pk_automation_event_evaluated' })
  triggerId!: string;

  @PrimaryColumn('uuid', {
    name: 'automation_id',
    primaryKeyConstraintName: 'pk_automation_event_evaluated',
  })
  automationId!: string;

  @Column('timestamptz', { transformer: INSTANT_TRANSFORMER })
  expires!: Instant;
}
