import { SqlMigration } from './sql-migration';

/**
 * Which events each trigger has evaluated (issue 14, exactly once per firing): the triggers service
 * inserts (event, trigger) in the transaction that evaluates the event against the trigger, and skips
 * the evaluation when the row is already there. A replica killed after that transaction committed and
 * before it marked the event seen in the causal-ordering store leaves the event pending; the survivor
 * that evaluates it again then finds the row, instead of counting the event a second time in the
 * bucket (a threshold-N trigger fired one event early). Concurrent evaluations of one (event, trigger)
 * serialise on the primary key: the second insert waits for the first transaction and skips if it
 * committed.
 *
 * Kept as long as the ordering store keeps an event's seen mark (`expires`, 30 min after the
 * evaluation); the triggers housekeeping deletes expired rows every 5 s through
 * ix_automation_event_evaluated__expires. No id/created/updated columns (a hot, short-lived table):
 * the key is pk_automation_event_evaluated, which serves the insert's conflict check. No foreign key:
 * the rows of a deleted automation expire with the rest.
 */
export class AutomationEventEvaluated1795301300000 extends SqlMigration {
  name = 'AutomationEventEvaluated1795301300000';
  protected readonly upStatements = UP;
  protected readonly downStatements = DOWN;
}

const UP = [
  `CREATE TABLE automation_event_evaluated (
    event_id uuid NOT NULL,
    trigger_id uuid NOT NULL,
    automation_id uuid NOT NULL,
    expires timestamptz NOT NULL,
    CONSTRAINT pk_automation_event_evaluated PRIMARY KEY (event_id, trigger_id, automation_id)
  )`,
  `CREATE INDEX ix_automation_event_evaluated__expires ON automation_event_evaluated (expires)`,
];

const DOWN = [`DROP TABLE automation_event_evaluated`];
