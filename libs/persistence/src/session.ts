import type { DataSource, EntityManager } from 'typeorm';

/**
 * A transaction (or the pool) the repositories run their statements on. Use-cases outside this lib
 * only pass it from `OutboxPublisher.transaction` / `Database.transaction` to repositories; they
 * never build queries with it, so they need no `typeorm` import.
 */
export type Session = EntityManager;

/** The process's data source, for use-cases that open transactions without the outbox. */
export type Database = DataSource;
