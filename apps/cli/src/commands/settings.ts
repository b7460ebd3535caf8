import { loadSettings, SettingsError, type Settings } from '@orrery/config';

/**
 * Loads and validates the settings once, with command-line flags applied as the environment
 * variables they stand for. A bad value ends the process with the one line naming the variable.
 */
export function loadSettingsOrExit(overrides: Record<string, string | undefined> = {}): Settings {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(overrides)) {
    if (value !== undefined) env[name] = value;
  }
  try {
    return loadSettings(env);
  } catch (error) {
    if (error instanceof SettingsError) {
      console.error(`orrery: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

/** Asks before destroying or changing data, unless -y; refuses when nobody can answer. */
export async function confirmOrExit(question: string, yes: boolean | undefined): Promise<void> {
  if (yes === true) return;
  if (!process.stdin.isTTY) {
    console.error(`orrery: ${question} Re-run with -y to confirm (no terminal to ask).`);
    process.exit(1);
  }
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(`${question} [y/N] `);
  rl.close();
  if (!/^y(es)?$/i.test(answer.trim())) {
    console.error('orrery: aborted');
    process.exit(1);
  }
}
