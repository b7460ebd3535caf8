import type { Settings } from '@orrery/config';
import { redactUrl } from '@orrery/config';
import {
  createDataSource,
  DatabaseMigrator,
  type DatabaseOptions,
  describeConnectionError,
} from '@orrery/persistence';
import type { DataSource } from 'typeorm';
import { databaseOptionsFrom } from './infrastructure-options';

export type DatabaseCommand =
  | { readonly kind: 'upgrade'; readonly to?: string }
  | { readonly kind: 'downgrade'; readonly to: string }
  | { readonly kind: 'downgrade'; readonly steps: number }
  | { readonly kind: 'reset' };

/** "PostgreSQL at postgresql://user:********@host:5432/db" or "PGlite in /home/me/.prefect/orrery-pglite". */
export function describeDatabase(options: DatabaseOptions): string {
  return options.kind === 'pglite'
    ? `PGlite in ${options.dataDir}`
    : `PostgreSQL at ${redactUrl(options.url)}`;
}

/**
 * `orrery server database upgrade|downgrade|reset`: connects, runs the migrator (which holds the
 * PostgreSQL advisory lock for the whole operation, so concurrent runs are safe) and prints what it
 * is doing. Returns the process exit code; failures are reported in one line, never a stack trace.
 */
/**
 * The database of these settings for an admin command, connected, after printing which one it is;
 * null (the failure printed in one line) when it cannot be reached.
 */
export async function openAdminDataSource(
  settings: Settings,
  print: (line: string) => void,
  printError: (line: string) => void,
): Promise<DataSource | null> {
  const options = databaseOptionsFrom(settings);
  print(`database: ${describeDatabase(options)}`);
  const dataSource = createDataSource(options);
  try {
    await dataSource.initialize();
    return dataSource;
  } catch (error) {
    printError(
      `orrery: ${describeConnectionError(error, options.kind === 'postgres' ? options.url : options.dataDir)}`,
    );
    return null;
  }
}

export async function runDatabaseCommand(
  settings: Settings,
  command: DatabaseCommand,
  print: (line: string) => void,
  printError: (line: string) => void = print,
): Promise<number> {
  const started = Date.now();
  const dataSource = await openAdminDataSource(settings, print, printError);
  if (dataSource === null) return 1;
  try {
    const migrator = new DatabaseMigrator(dataSource, {
      onProgress: (line: string) => print(`database: ${line}`),
      // PREFECT_SERVER_DATABASE_MIGRATION_TIMEOUT, as on start-up (unset: no limit).
      statementTimeoutSeconds: settings.server.database.migrationTimeout ?? 0,
    });
    switch (command.kind) {
      case 'upgrade':
        await migrator.upgrade({ to: command.to });
        break;
      case 'downgrade':
        await migrator.downgrade('steps' in command ? { steps: command.steps } : { to: command.to });
        break;
      case 'reset':
        await migrator.reset();
        break;
    }
    print(`database: ${command.kind} finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } catch (error) {
    printError(
      `orrery: database ${command.kind} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  } finally {
    await dataSource.destroy().catch(() => undefined);
  }
}
