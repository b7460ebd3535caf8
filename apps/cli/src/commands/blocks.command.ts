import { runBlockKeyRotation } from '@orrery/server';
import { confirmOrExit, loadSettingsOrExit } from './settings';

interface RotateKeyFlags {
  yes?: boolean;
  previousKeyFile?: string[];
}

export async function blocksRotateKey(flags: RotateKeyFlags): Promise<void> {
  const settings = loadSettingsOrExit();
  await confirmOrExit(
    'Re-encrypt every block document with the configured key? Replicas must then run with that key.',
    flags.yes,
  );
  process.exitCode = await runBlockKeyRotation(
    settings,
    flags.previousKeyFile ?? [],
    (line) => console.log(line),
    (line) => console.error(line),
  );
}
