import { readFile } from 'node:fs/promises';
import { externalBlockKey, rotateBlockEncryptionKey } from '@orrery/blocks';
import type { Settings } from '@orrery/config';
import { openAdminDataSource } from './database-admin';

/**
 * `orrery server blocks rotate-key`: re-encrypts every block document with the key these settings
 * name (`PREFECT_SERVER_BLOCKS_ENCRYPTION_KEY[_FILE]`, which then leaves the database holding no
 * key), or with a fresh database-kept key when neither is set. Older data is read with the key in
 * the database and the keys in `previousKeyFiles`. Returns the exit code; failures are one line.
 */
export async function runBlockKeyRotation(
  settings: Settings,
  previousKeyFiles: readonly string[],
  print: (line: string) => void,
  printError: (line: string) => void = print,
): Promise<number> {
  let newExternalKey: string | null;
  const previousKeys: string[] = [];
  try {
    newExternalKey = await externalBlockKey(settings);
    for (const file of previousKeyFiles) previousKeys.push((await readFile(file, 'utf8')).trim());
  } catch (error) {
    printError(`orrery: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  const dataSource = await openAdminDataSource(settings, print, printError);
  if (dataSource === null) return 1;
  try {
    const result = await rotateBlockEncryptionKey(dataSource, { newExternalKey, previousKeys });
    print(
      `blocks: re-encrypted ${result.documents} block document(s) with key ${result.keyId}` +
        (result.keyInDatabase
          ? ' (kept in the database)'
          : ' (from the settings; the database holds no key any more)'),
    );
    return 0;
  } catch (error) {
    printError(
      `orrery: key rotation failed, nothing changed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  } finally {
    await dataSource.destroy().catch(() => undefined);
  }
}
