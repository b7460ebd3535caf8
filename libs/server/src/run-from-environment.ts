import { loadSettings, SettingsError } from '@orrery/config';
import { runOrreryProcess } from './run-process';
import type { ServiceSelection } from './process-plan';

/**
 * The whole `main.ts` of a deployable app: validate the environment once (a bad value ends the
 * process with the one line naming the variable), then run.
 */
export function runFromEnvironment(api: boolean, selection: ServiceSelection): void {
  let settings;
  try {
    settings = loadSettings(process.env);
  } catch (error) {
    if (error instanceof SettingsError) {
      process.stderr.write(`orrery: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  runOrreryProcess(settings, { api, selection }).catch((error: unknown) => {
    process.stderr.write(
      `orrery: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}
