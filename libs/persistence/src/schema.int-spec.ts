import { MIGRATIONS } from '@orrery/migrations';
import {
  createEmptyTestDatabase,
  createTestDatabase,
  dropTestDatabase,
  type LocalTestDatabase,
} from './test-database.fixture';
import { type DataSource } from 'typeorm';
import { createDataSource } from './create-data-source';
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

const ALL_CLASS_NAMES = MIGRATIONS.map((migration) => migration.name);

describe('schema on PostgreSQL', () => {
  let db: LocalTestDatabase;
  let migrator: DatabaseMigrator;
  const progress: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    migrator = new DatabaseMigrator(db.dataSource, { onProgress: (line) => progress.push(line) });
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('upgrades an empty database to head: every table, enum and named index', async () => {
    const applied = await migrator.upgrade();

    expect(applied).toHaveLength(MIGRATIONS.length);
    expect(progress).toContain('applying 1795300000000-core-schema …');
    expect(await listTables(db.dataSource)).toEqual([...EXPECTED_TABLES].sort());
    expect(await listEnumTypes(db.dataSource)).toEqual(EXPECTED_ENUM_TYPES);
    const indexes = await listIndexes(db.dataSource);
    expect([...indexes.keys()].sort()).toEqual([...EXPECTED_INDEXES].sort());
    for (const [name, pattern] of Object.entries(SPECIAL_INDEX_DEFINITIONS)) {
      expect(indexes.get(name)).toMatch(pattern);
    }
    expect(await migrator.status()).toEqual({ applied: expect.any(Array), pending: [], unknown: [] });
  });

  it('keeps microseconds when a state timestamp goes through an entity and back', async () => {
    const result = await roundTripStateTimestamp(db.dataSource, '2025-01-02T03:04:05.123456Z');

    expect(result.entity).toBe('2025-01-02T03:04:05.123456Z');
    expect(result.raw).toBe('2025-01-02 03:04:05.123456+00');
    expect(result.runTimeSeconds).toBe(1.500001);
    expect(result.foundByTimestamp).toBe(true);
    expect(result.updated).toBe('2025-01-02T03:04:05.123457Z');
  });

  it('enforces the unique keys orchestration and the services rely on', async () => {
    const q = (sql: string, params?: unknown[]): Promise<{ id: string }[]> =>
      db.dataSource.query(sql, params);
    const [flow] = await q(`INSERT INTO flow (name) VALUES ('unique-keys') RETURNING id`);
    // Scheduler idempotency: a second insert with the same key is a no-op.
    const key = 'scheduled d s 2026-01-01 00:00:00+00:00';
    const insertRun = `INSERT INTO flow_run (name, flow_id, idempotency_key) VALUES ('r', $1, $2)
                       ON CONFLICT (flow_id, idempotency_key) DO NOTHING RETURNING id`;
    const [run] = await q(insertRun, [flow.id, key]);
    expect(await q(insertRun, [flow.id, key])).toEqual([]);
    // State timestamps are unique per run at the microsecond, and only at the microsecond.
    const insertState = `INSERT INTO flow_run_state (flow_run_id, type, name, "timestamp") VALUES ($1, 'PENDING', 'Pending', $2)`;
    await q(insertState, [run.id, '2026-01-01T00:00:00.000001Z']);
    await q(insertState, [run.id, '2026-01-01T00:00:00.000002Z']);
    await expect(q(insertState, [run.id, '2026-01-01T00:00:00.000001Z'])).rejects.toThrow(
      /uq_flow_run_state__flow_run_id_timestamp_desc/,
    );
    // Task-run natural key; rows without a flow run are not constrained.
    const insertTask = `INSERT INTO task_run (name, flow_run_id, task_key, dynamic_key) VALUES ('t', $1, 'k', '0')`;
    await q(insertTask, [run.id]);
    await expect(q(insertTask, [run.id])).rejects.toThrow(/uq_task_run__flow_run_id_task_key_dynamic_key/);
    await q(insertTask, [null]);
    await q(insertTask, [null]);
    // A block document may not reference itself.
    await expect(
      q(
        `INSERT INTO block_document_reference (name, parent_block_document_id, reference_block_document_id)
         VALUES ('x', $1, $1)`,
        [run.id],
      ),
    ).rejects.toThrow(/ck_block_document_reference__no_self_reference/);
  });

  it('matches the entities: TypeORM finds nothing to change', async () => {
    expect(await pendingEntityChanges(db.dataSource)).toEqual([]);
  });

  it('downgrades step by step and to a named migration', async () => {
    expect(await migrator.downgrade({ steps: 1 })).toEqual(['1795301400000-subflow-run-index']);
    expect((await listIndexes(db.dataSource)).has('ix_flow_run__subflow_parent_task_run_id')).toBe(false);
    expect(await migrator.downgrade({ steps: 1 })).toEqual(['1795301300000-automation-event-evaluated']);
    expect(await listTables(db.dataSource)).not.toContain('automation_event_evaluated');
    expect(await migrator.downgrade({ steps: 1 })).toEqual(['1795301200000-event-counts']);
    expect(await listTables(db.dataSource)).not.toContain('event_counts');
    expect(await migrator.downgrade({ steps: 1 })).toEqual(['1795300900000-automation-action-ledger']);
    expect(await listTables(db.dataSource)).not.toContain('automation_action');
    expect(await migrator.downgrade({ steps: 1 })).toEqual(['1795300800000-artifact-created-index']);
    expect(await migrator.downgrade({ steps: 1 })).toEqual(['1795300700000-flow-next-run-index']);
    expect(await migrator.downgrade({ steps: 1 })).toEqual(['1795300600000-scale-read-indexes']);
    const restored = await listIndexes(db.dataSource);
    expect(restored.has('ix_flow_run__expected_start_time_desc')).toBe(true);
    expect(restored.has('ix_flow_run__coalesce_start_time_expected_start_time_asc')).toBe(true);
    expect(restored.has('ix_events__occurred')).toBe(true);
    expect(restored.has('ix_flow_run__coalesce_start_expected_desc_id')).toBe(false);
    expect(await migrator.downgrade({ steps: 1 })).toEqual(['1795300500000-worker-poll-index']);
    expect((await listIndexes(db.dataSource)).has('ix_flow_run__work_queue_id_scheduled_next_start')).toBe(
      false,
    );
    expect(await migrator.downgrade({ steps: 1 })).toEqual(['1795300400000-transactional-outbox']);
    expect(await listTables(db.dataSource)).not.toContain('outbox');

    expect(await migrator.downgrade({ to: '1795300100000-work-pools-and-deployments' })).toEqual([
      '1795300300000-events-and-automations',
      '1795300200000-blocks-concurrency-and-misc',
    ]);
    expect(await recordedMigrations(db.dataSource)).toEqual(ALL_CLASS_NAMES.slice(0, 2));
    expect(await listTables(db.dataSource)).not.toContain('block_document');
  });

  it('downgrades to base, removing every table, enum type and index', async () => {
    await migrator.downgrade({ to: 'base' });

    expect(await listTables(db.dataSource)).toEqual([]);
    expect(await listEnumTypes(db.dataSource)).toEqual([]);
    expect((await listIndexes(db.dataSource)).size).toBe(0);
    expect(await recordedMigrations(db.dataSource)).toEqual([]);
  });

  it('upgrades to a named migration, then to head again', async () => {
    expect(await migrator.upgrade({ to: '1795300000000-core-schema' })).toEqual([
      '1795300000000-core-schema',
    ]);
    expect(await migrator.status()).toMatchObject({ applied: ['1795300000000-core-schema'] });

    await migrator.upgrade();
    expect(await recordedMigrations(db.dataSource)).toEqual(ALL_CLASS_NAMES);
    expect([...(await listIndexes(db.dataSource)).keys()].sort()).toEqual([...EXPECTED_INDEXES].sort());
  });

  it('resets: drops data and every table, then re-creates the schema at head', async () => {
    await db.dataSource.query(`INSERT INTO flow (name) VALUES ('doomed')`);
    await db.dataSource.query(`CREATE TABLE stray_test_table (id int)`);

    await migrator.reset();

    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM flow`)).toEqual([{ n: 0 }]);
    expect(await listTables(db.dataSource)).toEqual([...EXPECTED_TABLES].sort());
    expect(await recordedMigrations(db.dataSource)).toEqual(ALL_CLASS_NAMES);
  });

  it('refuses to downgrade to a migration that is unknown', async () => {
    await expect(migrator.downgrade({ to: 'no-such-migration' })).rejects.toThrow(/unknown migration/);
  });
});

describe('concurrent upgrades on PostgreSQL', () => {
  let url: string;
  const dataSources: DataSource[] = [];

  beforeAll(async () => {
    url = await createEmptyTestDatabase();
  });

  afterAll(async () => {
    await Promise.all(dataSources.filter((ds) => ds.isInitialized).map((ds) => ds.destroy()));
    await dropTestDatabase(url);
  });

  it('lets three replicas upgrade one empty database at once: all succeed, each migration is applied once', async () => {
    for (let i = 0; i < 3; i += 1) {
      const dataSource = createDataSource({
        kind: 'postgres',
        url,
        poolSize: 2,
        applicationName: `upgrade-${i}`,
      });
      await dataSource.initialize();
      dataSources.push(dataSource);
    }

    const results = await Promise.all(dataSources.map((ds) => new DatabaseMigrator(ds).upgrade()));

    // Exactly one replica found the work to do; the others re-checked under the lock and found none.
    expect(results.map((applied) => applied.length).sort()).toEqual([0, 0, MIGRATIONS.length]);
    expect(await recordedMigrations(dataSources[0])).toEqual(ALL_CLASS_NAMES);
    expect(await listTables(dataSources[0])).toEqual([...EXPECTED_TABLES].sort());
  });
});
