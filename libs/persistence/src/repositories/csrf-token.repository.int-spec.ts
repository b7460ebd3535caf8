import { createTestDatabase, type LocalTestDatabase as TestDatabase } from '../test-database.fixture';
import { CsrfTokenRepository } from './csrf-token.repository';

describe('CsrfTokenRepository on PostgreSQL', () => {
  let db: TestDatabase;
  let repository: CsrfTokenRepository;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    repository = new CsrfTokenRepository(db.dataSource);
  });
  afterAll(() => db.drop());

  it('keeps one row per client and only its latest token is valid', async () => {
    const first = await repository.issue('client-a', 3600);
    expect(first.token).toMatch(/^[0-9a-f]{64}$/);
    const second = await repository.issue('client-a', 3600);
    expect(second.id).toBe(first.id);
    expect(second.created.equals(first.created)).toBe(true);
    expect(second.token).not.toBe(first.token);
    expect(await repository.isValid('client-a', second.token)).toBe(true);
    expect(await repository.isValid('client-a', first.token)).toBe(false);
    expect(await repository.isValid('client-b', second.token)).toBe(false);
  });

  it('treats an expired token as invalid and purges it on the next issue', async () => {
    const stale = await repository.issue('client-old', 0.001);
    await db.dataSource.query(
      `UPDATE csrf_token SET expiration = now() - interval '1 second' WHERE client = 'client-old'`,
    );
    expect(await repository.isValid('client-old', stale.token)).toBe(false);
    await repository.issue('client-new', 3600);
    expect(
      await db.dataSource.query(`SELECT count(*)::int AS n FROM csrf_token WHERE client = 'client-old'`),
    ).toEqual([{ n: 0 }]);
  });
});
