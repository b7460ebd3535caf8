import { MIGRATIONS } from '@orrery/migrations';
import { createPgliteTestDatabase, type LocalTestDatabase } from './test-database.fixture';
import { DatabaseMigrator } from './database-migrator';
import {
  EXPECTED_ENUM_TYPES,
  EXPECTED_INDEXES,
  EXPECTED_TABLES,
  SPECIAL_INDEX_DEFINITIONS,
} from './expected-schema.fixture';
import {
  listEnumTypes,
  listIndexes,
  listTables,
  pendingEntityChanges,
  recordedMigrations,
  roundTripStateTimestamp,
} from './schema-inspection.fixture';

// The same migrations must produce the same schema on embedded PGlite (decision 3). PGlite takes
// seconds to start and allows one instance per process, so the whole file shares one.
describe('schema on PGlite', () => {
  let db: LocalTestDatabase;
  let migrator: DatabaseMigrator;

  beforeAll(async () => {
    // PGlite's CommonJS build loads Node built-ins with import(); inside Jest's VM that needs
    // --experimental-vm-modules, and without it the whole Jest process dies. Fail this suite instead.
    const flags = `${process.env.NODE_OPTIONS ?? ''} ${process.execArgv.join(' ')}`;
    if (!flags.includes('--experimental-vm-modules')) {
      throw new Error(
        'PGlite under Jest needs NODE_OPTIONS=--experimental-vm-modules (see libs/persistence/README.md)',
      );
    }
    db = await createPgliteTestDatabase();
    migrator = new DatabaseMigrator(db.dataSource);
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('upgrades an empty database to head: every table, enum and named index', async () => {
    expect(await migrator.upgrade()).toHaveLength(MIGRATIONS.length);

    expect(await listTables(db.dataSource)).toEqual([...EXPECTED_TABLES].sort());
    expect(await listEnumTypes(db.dataSource)).toEqual(EXPECTED_ENUM_TYPES);
    const indexes = await listIndexes(db.dataSource);
    expect([...indexes.keys()].sort()).toEqual([...EXPECTED_INDEXES].sort());
    for (const [name, pattern] of Object.entries(SPECIAL_INDEX_DEFINITIONS)) {
      expect(indexes.get(name)).toMatch(pattern);
    }
  });

  it('serves trigram searches (pg_trgm loaded)', async () => {
    await db.dataSource.query(`INSERT INTO flow (name) VALUES ('etl-nightly'), ('reporting')`);
    const rows: { name: string }[] = await db.dataSource.query(
      `SELECT name FROM flow WHERE name ILIKE '%nigh%' AND similarity(name, 'etl-nightly') > 0.5`,
    );
    expect(rows).toEqual([{ name: 'etl-nightly' }]);
  });

  it('keeps microseconds when a state timestamp goes through an entity and back', async () => {
    const result = await roundTripStateTimestamp(db.dataSource, '2025-01-02T03:04:05.123456Z');

    expect(result.entity).toBe('2025-01-02T03:04:05.123456Z');
    expect(result.raw).toBe('2025-01-02 03:04:05.123456+00');
    expect(result.runTimeSeconds).toBe(1.500001);
    expect(result.foundByTimestamp).toBe(true);
    expect(result.updated).toBe('2025-01-02T03:04:05.123457Z');
  });

  it('matches the entities: TypeORM finds nothing to change', async () => {
    expect(await pendingEntityChanges(db.dataSource)).toEqual([]);
  });

  it('downgrades to base and upgrades again', async () => {
    await migrator.downgrade({ to: 'base' });
    expect(await listTables(db.dataSource)).toEqual([]);
    expect(await listEnumTypes(db.dataSource)).toEqual([]);
    expect(await recordedMigrations(db.dataSource)).toEqual([]);

    await migrator.upgrade();
    expect([...(await listIndexes(db.dataSource)).keys()].sort()).toEqual([...EXPECTED_INDEXES].sort());
  });

  it('resets to an empty schema at head', async () => {
    await db.dataSource.query(`INSERT INTO flow (name) VALUES ('doomed')`);

    await migrator.reset();

    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM flow`)).toEqual([{ n: 0 }]);
    expect(await recordedMigrations(db.dataSource)).toEqual(MIGRATIONS.map((m) => m.name));
  });
});
