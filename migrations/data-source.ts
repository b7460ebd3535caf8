import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { MIGRATIONS, MIGRATIONS_TABLE_NAME } from './index';

/**
 * A DataSource for TypeORM's own CLI (`typeorm migration:show -d dist/migrations/data-source.js`).
 * Orrery itself migrates through DatabaseMigrator in @orrery/persistence (advisory lock, progress);
 * both record migrations in the same table, so they can be mixed.
 */
const url =
  process.env.PREFECT_SERVER_DATABASE_CONNECTION_URL ?? process.env.PREFECT_API_DATABASE_CONNECTION_URL;
if (url === undefined || url === '') {
  throw new Error(
    'set PREFECT_SERVER_DATABASE_CONNECTION_URL (or PREFECT_API_DATABASE_CONNECTION_URL) to a postgresql:// URL',
  );
}

export default new DataSource({
  type: 'postgres',
  // Prefect settings carry SQLAlchemy URLs such as postgresql+asyncpg://.
  url: url.replace(/^postgres(?:ql)?\+[a-z0-9_]+:\/\//i, 'postgresql://'),
  migrations: [...MIGRATIONS],
  migrationsTableName: MIGRATIONS_TABLE_NAME,
  migrationsTransactionMode: 'each',
  migrationsRun: false,
  synchronize: false,
  installExtensions: false,
});
