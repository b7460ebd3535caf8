import { SqlMigration } from './sql-migration';

/**
 * The transactional outbox (reserved for the orchestration work): a message that must be published
 * if and only if a transaction commits is inserted here inside that transaction, and a relay
 * publishes unpublished rows after commit and stamps published_at. Delivery is at-least-once, so
 * consumers de-duplicate by id.
 */
export class TransactionalOutbox1795300400000 extends SqlMigration {
  name = 'TransactionalOutbox1795300400000';
  protected readonly upStatements = UP;
  protected readonly downStatements = DOWN;
}

const UP = [
  `CREATE TABLE outbox (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    topic text NOT NULL,
    data jsonb NOT NULL,
    attributes jsonb NOT NULL DEFAULT '{}',
    published_at timestamptz,
    CONSTRAINT pk_outbox PRIMARY KEY (id)
  )`,
  `CREATE INDEX ix_outbox__updated ON outbox (updated)`,
  // The relay only ever scans what is still unpublished, oldest first; stays tiny in steady state.
  `CREATE INDEX ix_outbox__unpublished ON outbox (created) WHERE published_at IS NULL`,
];

const DOWN = [`DROP TABLE outbox`];
