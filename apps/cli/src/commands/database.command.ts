import { runDatabaseCommand } from '@orrery/server';
import { confirmOrExit, loadSettingsOrExit } from './settings';

interface DatabaseFlags {
  yes?: boolean;
  revision?: string;
}

export async function databaseUpgrade(flags: DatabaseFlags): Promise<void> {
  const settings = loadSettingsOrExit();
  await confirmOrExit('Upgrade the database schema?', flags.yes);
  const to = flags.revision === undefined || flags.revision === 'head' ? undefined : flags.revision;
  process.exitCode = await runDatabaseCommand(settings, { kind: 'upgrade', to }, (line) => console.log(line));
}

export async function databaseDowngrade(flags: DatabaseFlags): Promise<void> {
  const settings = loadSettingsOrExit();
  const revision = flags.revision ?? '-1';
  await confirmOrExit(
    `Downgrade the database schema (${revision})? Data in reverted tables is lost.`,
    flags.yes,
  );
  const steps = /^-\d+$/.test(revision) ? Number(revision.slice(1)) : null;
  process.exitCode = await runDatabaseCommand(
    settings,
    steps !== null ? { kind: 'downgrade', steps } : { kind: 'downgrade', to: revision },
    (line) => console.log(line),
  );
}

export async function databaseReset(flags: DatabaseFlags): Promise<void> {
  const settings = loadSettingsOrExit();
  await confirmOrExit('Reset the database? Every table is dropped and all data is lost.', flags.yes);
  process.exitCode = await runDatabaseCommand(settings, { kind: 'reset' }, (line) => console.log(line));
}
