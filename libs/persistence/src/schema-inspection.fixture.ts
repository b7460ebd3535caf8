import { Instant } from '@orrery/domain';
import { MIGRATIONS_TABLE_NAME } from '@orrery/migrations';
import { type DataSource } from 'typeorm';
import { FlowEntity, FlowRunEntity, FlowRunStateEntity } from './entities';

/** Catalogue queries shared by the PostgreSQL and PGlite schema int-specs. */
export async function listTables(dataSource: DataSource): Promise<string[]> {
  const rows: { name: string }[] = await dataSource.query(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> $1 ORDER BY 1`,
    [MIGRATIONS_TABLE_NAME],
  );
  return rows.map((row) => row.name);
}

export async function listIndexes(dataSource: DataSource): Promise<Map<string, string>> {
  const rows: { name: string; definition: string }[] = await dataSource.query(
    `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
      WHERE schemaname = current_schema() AND tablename <> $1 ORDER BY 1`,
    [MIGRATIONS_TABLE_NAME],
  );
  return new Map(rows.map((row) => [row.name, row.definition]));
}

export async function listEnumTypes(dataSource: DataSource): Promise<string[]> {
  const rows: { name: string }[] = await dataSource.query(
    `SELECT t.typname AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE t.typtype = 'e' AND n.nspname = current_schema() ORDER BY 1`,
  );
  return rows.map((row) => row.name);
}

export async function recordedMigrations(dataSource: DataSource): Promise<string[]> {
  const rows: { name: string }[] = await dataSource.query(
    `SELECT name FROM ${MIGRATIONS_TABLE_NAME} ORDER BY id`,
  );
  return rows.map((row) => row.name);
}

/** The DDL TypeORM would run to make the database match the entities (empty when they agree). */
export async function pendingEntityChanges(dataSource: DataSource): Promise<string[]> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return sql.upQueries.map((query) => query.query);
}

/**
 * Writes a flow, a flow run and a state whose timestamp has six fractional digits through the
 * entities, and reads the state back both through the entity and as raw text.
 */
export async function roundTripStateTimestamp(
  dataSource: DataSource,
  timestamp: string,
): Promise<{
  entity: string;
  raw: unknown;
  runTimeSeconds: number;
  foundByTimestamp: boolean;
  updated: string;
}> {
  const flow = await dataSource
    .getRepository(FlowEntity)
    .save(
      dataSource
        .getRepository(FlowEntity)
        .create({ name: `flow-${Math.random().toString(36).slice(2)}`, tags: [] }),
    );
  const run = await dataSource
    .getRepository(FlowRunEntity)
    .save(
      dataSource
        .getRepository(FlowRunEntity)
        .create({ name: 'brave-otter', flowId: flow.id, totalRunTime: 1.500001 }),
    );
  const state = await dataSource.getRepository(FlowRunStateEntity).save(
    dataSource.getRepository(FlowRunStateEntity).create({
      flowRunId: run.id,
      type: 'RUNNING',
      name: 'Running',
      timestamp: Instant.parse(timestamp),
    }),
  );
  const read = await dataSource.getRepository(FlowRunStateEntity).findOneByOrFail({ id: state.id });
  const readRun = await dataSource.getRepository(FlowRunEntity).findOneByOrFail({ id: run.id });
  // Raw driver output: must be PostgreSQL's text in UTC, never a Date.
  const [{ raw }]: { raw: unknown }[] = await dataSource.query(
    `SELECT "timestamp" AS raw FROM flow_run_state WHERE id = $1`,
    [state.id],
  );
  // An Instant used as a query parameter must compare at the microsecond too.
  const found = await dataSource
    .getRepository(FlowRunStateEntity)
    .findOneBy({ timestamp: Instant.parse(timestamp) });
  const missed = await dataSource
    .getRepository(FlowRunStateEntity)
    .findOneBy({ timestamp: Instant.parse(timestamp).plusMicros(1) });
  // The write path repositories use for timestamps: update() (save() of a loaded entity compares at
  // the millisecond and would skip a 1 µs change; see README).
  await dataSource
    .getRepository(FlowRunEntity)
    .update({ id: run.id }, { stateTimestamp: Instant.parse(timestamp).plusMicros(1) });
  const updatedRun = await dataSource.getRepository(FlowRunEntity).findOneByOrFail({ id: run.id });
  return {
    updated: updatedRun.stateTimestamp?.toISOString() ?? 'null',
    entity: read.timestamp.toISOString(),
    raw,
    runTimeSeconds: readRun.totalRunTime,
    foundByTimestamp: found?.id === state.id && missed === null,
  };
}
