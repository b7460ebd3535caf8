import { SqlMigration } from './sql-migration';

/**
 * The actions service's ledger (issue 14, exactly once on the acting side): one row per action of a
 * firing, keyed by the TriggeredAction id (deterministic over automation, firing and action index).
 * A row is written STARTED before the side effect and EXECUTED / FAILED in the transaction that
 * emits the action's events, so a redelivered message whose row is final is skipped, and one whose
 * row is still STARTED (the process died mid-action) is retried with the same idempotency key.
 */
export class AutomationActionLedger1795300900000 extends SqlMigration {
  name = 'AutomationActionLedger1795300900000';
  protected readonly upStatements = UP;
  protected readonly downStatements = DOWN;
}

const UP = [
  `CREATE TABLE automation_action (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    automation_id uuid NOT NULL,
    firing_id uuid,
    action_index integer NOT NULL,
    action_type text NOT NULL,
    state text NOT NULL DEFAULT 'STARTED',
    attempts integer NOT NULL DEFAULT 1,
    CONSTRAINT pk_automation_action PRIMARY KEY (id)
  )`,
  `CREATE INDEX ix_automation_action__updated ON automation_action (updated)`,
  `CREATE INDEX ix_automation_action__automation_id ON automation_action (automation_id)`,
];

const DOWN = [`DROP TABLE automation_action`];
