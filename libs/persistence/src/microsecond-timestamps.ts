import { type Driver, type ValueTransformer } from 'typeorm';

type ColumnMetadata = Parameters<Driver['prepareHydratedValue']>[1];

const TIMESTAMP_TYPES: ReadonlySet<unknown> = new Set([
  'timestamptz',
  'timestamp with time zone',
  'timestamp',
  'timestamp without time zone',
]);

/**
 * TypeORM's PostgreSQL driver turns timestamp text into a JS Date when reading and parses strings
 * into a Date when writing (util/DateUtils), silently truncating microseconds in both directions.
 * Decision 5 forbids that, so for timestamp columns this hands the raw value straight to (and from)
 * the column's transformer and leaves every other type to TypeORM. Call once per DataSource, before
 * initialize(); the persistence int-spec round-trip test fails if a TypeORM upgrade bypasses it.
 */
export function keepMicrosecondTimestamps(driver: Driver): void {
  const prepareHydrated = driver.prepareHydratedValue.bind(driver);
  const preparePersistent = driver.preparePersistentValue.bind(driver);
  driver.prepareHydratedValue = (value: unknown, column: ColumnMetadata): unknown =>
    TIMESTAMP_TYPES.has(column.type) ? applyFrom(column.transformer, value) : prepareHydrated(value, column);
  driver.preparePersistentValue = (value: unknown, column: ColumnMetadata): unknown =>
    TIMESTAMP_TYPES.has(column.type) ? applyTo(column.transformer, value) : preparePersistent(value, column);
}

function applyTo(transformer: ValueTransformer | ValueTransformer[] | undefined, value: unknown): unknown {
  if (transformer === undefined) return value;
  const chain = Array.isArray(transformer) ? transformer : [transformer];
  return chain.reduce<unknown>((current, t) => t.to(current), value);
}

function applyFrom(transformer: ValueTransformer | ValueTransformer[] | undefined, value: unknown): unknown {
  if (transformer === undefined) return value;
  const chain = Array.isArray(transformer) ? [...transformer].reverse() : [transformer];
  return chain.reduce<unknown>((current, t) => t.from(current), value);
}
