import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { type DataSource } from 'typeorm';

/** An injected database write failure (see `failInserts`). */
export interface InjectedWriteFailure {
  /** Writes succeed again from the next statement on. */
  lift(): Promise<void>;
  /** Drops the trigger, its function and its switch (call in `finally`). */
  remove(): Promise<void>;
}

/**
 * Makes every INSERT into `table` fail with "injected write failure" (a BEFORE INSERT trigger,
 * switched by a one-row table) until `lift()`: the deterministic way to test that a consumer
 * acknowledges a message only after its transaction committed.
 */
export async function failInserts(dataSource: DataSource, table: string): Promise<InjectedWriteFailure> {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`not a plain table name: ${table}`);
  const name = `test_fail_${randomBytes(4).toString('hex')}`;
  await dataSource.query(`CREATE TABLE ${name} (on_ boolean)`);
  await dataSource.query(`INSERT INTO ${name} VALUES (true)`);
  await dataSource.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM ${name}) THEN RAISE EXCEPTION 'injected write failure'; END IF;
      RETURN NEW;
    END $$`);
  await dataSource.query(
    `CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`,
  );
  return {
    lift: async () => {
      await dataSource.query(`DELETE FROM ${name}`);
    },
    remove: async () => {
      await dataSource.query(`DROP TRIGGER IF EXISTS ${name} ON ${table}`);
      await dataSource.query(`DROP FUNCTION IF EXISTS ${name}()`);
      await dataSource.query(`DROP TABLE IF EXISTS ${name}`);
    },
  };
}

/** The broker's delivery count of every entry `group` holds pending on `topic` (XPENDING). */
export async function pendingDeliveryCounts(
  redisUrl: string,
  topic: string,
  group: string,
): Promise<number[]> {
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    const entries = (await client.xpending(topic, group, '-', '+', 1000)) as [
      string,
      string,
      number,
      number,
    ][];
    return entries.map(([, , , deliveries]) => deliveries);
  } finally {
    client.disconnect();
  }
}
