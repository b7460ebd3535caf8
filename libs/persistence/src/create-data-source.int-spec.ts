import { createTestDatabase, type LocalTestDatabase } from './test-database.fixture';
import { createDataSource } from './create-data-source';
import { describeConnectionError } from './describe-connection-error';

describe('createDataSource on PostgreSQL', () => {
  let db: LocalTestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('opens sessions in UTC, JIT off, with the statement timeout and application name asked for', async () => {
    const dataSource = createDataSource({
      kind: 'postgres',
      url: db.url.replace(/^postgresql:/, 'postgresql+asyncpg:'),
      poolSize: 1,
      statementTimeoutSeconds: 1.5,
      applicationName: 'orrery-test',
    });
    await dataSource.initialize();
    try {
      const [row] = await dataSource.query(
        `SELECT current_setting('TimeZone') AS tz, current_setting('statement_timeout') AS timeout,
                current_setting('application_name') AS app, current_setting('jit') AS jit,
                now() AS now, current_date AS today`,
      );
      expect(row).toMatchObject({ tz: 'UTC', timeout: '1500ms', app: 'orrery-test', jit: 'off' });
      // Timestamps and dates arrive as PostgreSQL's text, never as a JS Date.
      expect(row.now).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?\+00$/);
      expect(typeof row.today).toBe('string');
    } finally {
      await dataSource.destroy();
    }
  });

  it('fails to initialize against an unreachable server, described in one line naming host:port', async () => {
    const url = 'postgresql://orrery:hunter2@127.0.0.1:1/nowhere';
    const dataSource = createDataSource({ kind: 'postgres', url, connectTimeoutSeconds: 2 });

    const error: unknown = await dataSource.initialize().then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(describeConnectionError(error, url)).toBe(
      'cannot connect to PostgreSQL at 127.0.0.1:1: connection refused',
    );
  });
});
