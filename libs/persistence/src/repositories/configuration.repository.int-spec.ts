import { createTestDatabase, type LocalTestDatabase as TestDatabase } from '../test-database.fixture';
import { ConfigurationRepository } from './configuration.repository';

describe('ConfigurationRepository on PostgreSQL', () => {
  let db: TestDatabase;
  let repository: ConfigurationRepository;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    repository = new ConfigurationRepository(db.dataSource);
  });
  afterAll(() => db.drop());

  it('keeps the first value written when writers race on first use', async () => {
    const values = await Promise.all(
      Array.from({ length: 6 }, (_, i) => repository.getOrInsert('race', { key: `writer-${i}` })),
    );
    expect(new Set(values.map((v) => JSON.stringify(v))).size).toBe(1);
    expect(await repository.getOrInsert('race', { key: 'late' })).toEqual(values[0]);
    expect(
      await db.dataSource.query(`SELECT count(*)::int AS n FROM configuration WHERE key = 'race'`),
    ).toEqual([{ n: 1 }]);
  });

  it('reads an absent key as undefined', async () => {
    expect(await repository.get('nothing-here')).toBeUndefined();
  });
});
