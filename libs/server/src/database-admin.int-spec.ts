import { randomBytes } from 'node:crypto';
import { loadSettings } from '@orrery/config';
import { createEmptyTestDatabase, dropTestDatabase } from '@orrery/testing';
import { runDatabaseCommand } from './database-admin';

describe('orrery server database upgrade', () => {
  const urls: string[] = [];
  afterAll(async () => {
    for (const url of urls) await dropTestDatabase(url);
  });

  async function upgrade(env: Record<string, string>): Promise<{ code: number; lines: string[] }> {
    const url = await createEmptyTestDatabase(`orrery_test_${randomBytes(6).toString('hex')}`);
    urls.push(url);
    const lines: string[] = [];
    const settings = loadSettings({
      PREFECT_HOME: '/tmp/orrery-admin',
      PREFECT_API_DATABASE_CONNECTION_URL: url,
      ...env,
    });
    const code = await runDatabaseCommand(settings, { kind: 'upgrade' }, (line) => lines.push(line));
    return { code, lines };
  }

  it('applies PREFECT_SERVER_DATABASE_MIGRATION_TIMEOUT to the migration statements', async () => {
    // 1 ms: creating the schema has statements that take longer, so the upgrade must fail on it.
    const limited = await upgrade({ PREFECT_SERVER_DATABASE_MIGRATION_TIMEOUT: '0.001' });
    expect(limited.code).toBe(1);
    expect(limited.lines.join('\n')).toMatch(/database upgrade failed: .*statement timeout/);
    const unlimited = await upgrade({});
    expect(unlimited.code).toBe(0);
  });
});
