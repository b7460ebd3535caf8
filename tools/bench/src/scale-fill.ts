// Data-scale fixture (issue 17): creates a database, migrates it through our own schema and fills it
// with the shape `fillScaleData` (@orrery/testing) describes — 1 000 000 flow runs at --scale 1 —
// then prints row counts, table sizes and the time it took. Keeps the database for bench:scale;
// drop it with --drop-after or `DROP DATABASE`.
//
//   npm run build && nice -n 10 node dist/tools/bench/src/scale-fill.js [--scale 0.02] [--name orrery_scale_x]
//        [--pg postgresql://postgres@127.0.0.1:5432/postgres] [--drop-after]
//   node dist/tools/bench/src/scale-fill.js --pglite HOME/orrery-pglite [--scale 0.1]   # embedded: 100 000 runs at 0.1
import 'reflect-metadata';
import { createDataSource, DatabaseMigrator } from '@orrery/persistence';
import { fillScaleData, type ScaleQuery } from '@orrery/testing';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { fmt, parseArgs } from './bench-support';

/** The million-run shape scaled: --scale 1 is 1 000 000 flow runs. */
export const FULL_SCALE_RUNS = 1_000_000;

async function printSizes(query: ScaleQuery): Promise<void> {
  const rows = (await query(
    `SELECT c.relname AS name, c.reltuples::bigint AS estimate,
            pg_total_relation_size(c.oid) AS total, pg_indexes_size(c.oid) AS indexes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind = 'r'
      ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 12`,
  )) as { name: string; estimate: string; total: string; indexes: string }[];
  const mb = (bytes: string): string => fmt(Number(bytes) / 1024 / 1024, 0).padStart(7);
  console.log('\ntable                      rows (est.)   total MB  of it indexes MB');
  for (const r of rows) {
    console.log(`${r.name.padEnd(26)} ${String(r.estimate).padStart(11)}  ${mb(r.total)}  ${mb(r.indexes)}`);
  }
  const [db] = (await query(`SELECT pg_database_size(current_database()) AS size`)) as [{ size: string }];
  console.log(`database: ${fmt(Number(db.size) / 1024 / 1024 / 1024, 2)} GB`);
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const scale = Number(options.scale ?? 0.01);
  const flowRuns = Math.round(FULL_SCALE_RUNS * scale);
  const log = (line: string): void => console.log(line);
  if (options.pglite !== undefined) {
    const dataSource = createDataSource({ kind: 'pglite', dataDir: options.pglite });
    await dataSource.initialize();
    try {
      await new DatabaseMigrator(dataSource).upgrade();
      const query: ScaleQuery = (sql, params) => dataSource.query(sql, params);
      console.log(`filling PGlite at ${options.pglite} with ${flowRuns} flow runs (scale ${scale})`);
      const result = await fillScaleData(query, { flowRuns, log });
      console.log(`filled in ${fmt(result.seconds, 1)} s: ${JSON.stringify(result.rows)}`);
      await printSizes(query);
    } finally {
      await dataSource.destroy();
    }
    return;
  }
  const admin = options.pg ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const name = options.name ?? `orrery_scale_${randomBytes(4).toString('hex')}`;
  if (!/^orrery_scale_[a-z0-9_]+$/.test(name)) throw new Error('--name must match orrery_scale_[a-z0-9_]+');
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const server = new Client({ connectionString: admin });
  await server.connect();
  await server.query(`CREATE DATABASE ${name}`);
  try {
    const dataSource = createDataSource({ kind: 'postgres', url: url.toString(), poolSize: 1 });
    await dataSource.initialize();
    await new DatabaseMigrator(dataSource).upgrade();
    await dataSource.destroy();
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    try {
      // A bulk load: more memory for sorts and index builds in this session only.
      await client.query(`SET maintenance_work_mem = '512MB'`);
      await client.query(`SET work_mem = '64MB'`);
      const query: ScaleQuery = async (sql, params) => (await client.query(sql, params)).rows;
      console.log(`filling ${name} with ${flowRuns} flow runs (scale ${scale})`);
      const result = await fillScaleData(query, { flowRuns, log });
      console.log(`filled in ${fmt(result.seconds, 1)} s: ${JSON.stringify(result.rows)}`);
      await printSizes(query);
    } finally {
      await client.end();
    }
    console.log(`\ndatabase URL: ${url.toString()}`);
  } catch (error) {
    await server.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    throw error;
  } finally {
    if (options['drop-after'] === 'true') await server.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await server.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
