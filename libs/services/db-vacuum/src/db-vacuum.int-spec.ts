import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadSettings, SettingsModule } from '@orrery/config';
import { Instant, uuid4 } from '@orrery/domain';
import { JobsModule } from '@orrery/jobs';
import { DbVacuumRepository, PersistenceModule } from '@orrery/persistence';
import { createPgliteTestDatabase, createTestDatabase, type TestDatabase, waitFor } from '@orrery/testing';
import { DbVacuumModule } from './db-vacuum.module';
import { DbVacuumService } from './db-vacuum.service';

describe('db-vacuum on PostgreSQL', () => {
  let db: TestDatabase;
  const q = (sql: string, params: unknown[] = []) =>
    db.dataSource.query(sql, params) as Promise<Record<string, unknown>[]>;
  const ids = async (table: string): Promise<string[]> =>
    (await q(`SELECT id FROM ${table} ORDER BY id`)).map((r) => r.id as string).sort();

  const keep: Record<string, string[]> = {
    events: [],
    event_resources: [],
    flow_run: [],
    log: [],
    artifact: [],
    automation_action: [],
  };
  let repointedCollection = '';
  let survivingArtifact = '';

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    // Events: 8 days old (past the 7-day retention), and heartbeats 2 days old (past a 1-day override).
    const event = async (name: string, ageSeconds: number, kept: boolean): Promise<void> => {
      const id = uuid4();
      await q(
        `INSERT INTO events (id, occurred, event, resource_id, resource, received, recorded)
         VALUES ($1, now() - make_interval(secs => $2), $3, 'prefect.flow-run.x', '{}', now(), now())`,
        [id, ageSeconds, name],
      );
      const rows = await q(
        `INSERT INTO event_resources (occurred, resource_id, resource_role, resource, event_id)
         SELECT occurred, 'prefect.flow.y', r, '{}', id FROM events, unnest(ARRAY['', 'flow', 'tag']) r WHERE id = $1
         RETURNING id`,
        [id],
      );
      if (kept) {
        keep.events!.push(id);
        keep.event_resources!.push(...rows.map((r) => r.id as string));
      }
    };
    for (let i = 0; i < 3; i++) await event('prefect.flow-run.Completed', 8 * 86400, false);
    for (let i = 0; i < 3; i++) await event('prefect.flow-run.heartbeat', 2 * 86400, false);
    await event('prefect.flow-run.Completed', 2 * 86400, true);
    await event('prefect.flow-run.heartbeat', 3600, true);

    // Flow runs: top-level terminal runs that ended 100 days ago go; everything else stays.
    const [flow] = await q(`INSERT INTO flow (name) VALUES ('vacuumed') RETURNING id`);
    const run = async (
      stateType: string,
      endedDaysAgo: number | null,
      parentTaskRunId: string | null,
      kept: boolean,
    ) => {
      const [row] = await q(
        `INSERT INTO flow_run (name, flow_id, state_type, end_time, parent_task_run_id)
         VALUES ('r', $1, $2, CASE WHEN $3::int IS NULL THEN NULL ELSE now() - make_interval(days => $3::int) END, $4)
         RETURNING id`,
        [flow!.id, stateType, endedDaysAgo, parentTaskRunId],
      );
      if (kept) keep.flow_run!.push(row!.id as string);
      return row!.id as string;
    };
    for (let i = 0; i < 3; i++) await run('COMPLETED', 100, null, false);
    await run('FAILED', 100, null, false);
    const recent = await run('COMPLETED', 1, null, true);
    await run('RUNNING', null, null, true);
    const [task] = await q(
      `INSERT INTO task_run (name, flow_run_id, task_key, dynamic_key) VALUES ('t', $1, 'k', '0') RETURNING id`,
      [recent],
    );
    await run('COMPLETED', 100, task!.id as string, true); // a subflow: its parent decides

    // Logs and artifacts of vanished runs go; those of live runs stay.
    for (let i = 0; i < 3; i++)
      await q(
        `INSERT INTO log (name, level, flow_run_id, message, "timestamp") VALUES ('l', 20, $1, 'm', now())`,
        [uuid4()],
      );
    // One vanished run with five logs: with a 2-entry scan window its logs span three windows.
    const vanished = uuid4();
    for (let i = 0; i < 5; i++)
      await q(
        `INSERT INTO log (name, level, flow_run_id, message, "timestamp") VALUES ('l', 20, $1, 'm', now())`,
        [vanished],
      );
    const [liveLog] = await q(
      `INSERT INTO log (name, level, flow_run_id, message, "timestamp") VALUES ('l', 20, $1, 'm', now()) RETURNING id`,
      [recent],
    );
    keep.log!.push(liveLog!.id as string);
    const [orphan] = await q(
      `INSERT INTO artifact (key, flow_run_id, created) VALUES ('report', $1, now()) RETURNING id`,
      [uuid4()],
    );
    const [older] = await q(
      `INSERT INTO artifact (key, flow_run_id, created) VALUES ('report', $1, now() - interval '1 hour') RETURNING id`,
      [recent],
    );
    survivingArtifact = older!.id as string;
    keep.artifact!.push(survivingArtifact);
    const [collection] = await q(
      `INSERT INTO artifact_collection (key, latest_id) VALUES ('report', $1) RETURNING id`,
      [orphan!.id],
    );
    repointedCollection = collection!.id as string;
    await q(`INSERT INTO artifact_collection (key, latest_id) VALUES ('gone', $1)`, [uuid4()]);

    // The actions' ledger: rows last written 8 days ago go (with the events), recent ones stay.
    const action = async (ageSeconds: number, state: string, kept: boolean): Promise<void> => {
      const [row] = await q(
        `INSERT INTO automation_action (automation_id, action_index, action_type, state, updated)
         VALUES ($1, 0, 'call-webhook', $2, now() - make_interval(secs => $3)) RETURNING id`,
        [uuid4(), state, ageSeconds],
      );
      if (kept) keep.automation_action!.push(row!.id as string);
    };
    for (let i = 0; i < 3; i++) await action(8 * 86400, 'EXECUTED', false);
    await action(8 * 86400, 'STARTED', false); // abandoned (dead-lettered) long ago
    await action(3600, 'EXECUTED', true);
    await action(6 * 86400, 'FAILED', true);
  });
  afterAll(() => db.drop());

  it('deletes exactly what the retention settings say, in small batches', async () => {
    const settings = loadSettings({
      PREFECT_HOME: '/tmp',
      PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED: 'events,flow_runs',
      PREFECT_SERVER_SERVICES_DB_VACUUM_BATCH_SIZE: '2',
      PREFECT_SERVER_EVENTS_RETENTION_PERIOD: String(7 * 86400),
      PREFECT_SERVER_SERVICES_DB_VACUUM_EVENT_RETENTION_OVERRIDES: JSON.stringify({
        'prefect.flow-run.heartbeat': 86400,
      }),
    });
    @Module({
      imports: [
        SettingsModule.forRoot(settings),
        PersistenceModule.forRoot({ kind: 'postgres', url: db.url, poolSize: 2 }),
        JobsModule.forRoot({ driver: 'in-process' }),
        DbVacuumModule,
      ],
    })
    class Root {}
    const app = await NestFactory.createApplicationContext(Root, { logger: false });
    // Windows of 2 index entries: the orphan scan must carry its cursor across many windows.
    app.get(DbVacuumService).orphanScanWindow = 2;
    await app.init();
    try {
      await waitFor(
        async () =>
          (await ids('events')).join() === [...keep.events!].sort().join() &&
          (await ids('event_resources')).join() === [...keep.event_resources!].sort().join() &&
          (await ids('flow_run')).join() === [...keep.flow_run!].sort().join() &&
          (await ids('log')).join() === [...keep.log!].sort().join() &&
          (await ids('artifact')).join() === [...keep.artifact!].sort().join() &&
          (await ids('automation_action')).join() === [...keep.automation_action!].sort().join() &&
          (await q(`SELECT count(*)::int AS n FROM artifact_collection`))[0]!.n === 1,
        { timeoutMs: 20_000, intervalMs: 200, what: 'the vacuum to finish' },
      );
      const [collection] = await q(`SELECT id, latest_id FROM artifact_collection`);
      expect(collection).toEqual({ id: repointedCollection, latest_id: survivingArtifact });
    } finally {
      await app.close();
    }
  });
});

describe('db-vacuum deletes on PGlite', () => {
  it('reports batch counts the same way, so the batch loops end', async () => {
    const db = await createPgliteTestDatabase({ migrate: true });
    try {
      const repository = new DbVacuumRepository(db.dataSource);
      await db.dataSource.query(
        `INSERT INTO events (id, occurred, event, resource_id, resource, received, recorded)
         SELECT gen_random_uuid(), now() - interval '9 days', 'e', 'r', '{}', now(), now() FROM generate_series(1, 3)`,
      );
      await db.dataSource.query(
        `INSERT INTO event_resources (occurred, resource_id, resource_role, resource, event_id)
         SELECT occurred, 'r', '', '{}', id FROM events`,
      );
      const before = Instant.now().minusSeconds(7 * 86400);
      expect(await repository.deleteOldEvents(before, 2)).toEqual({ resources: 2, events: 0 });
      expect(await repository.deleteOldEvents(before, 2)).toEqual({ resources: 1, events: 0 });
      expect(await repository.deleteOldEvents(before, 2)).toEqual({ resources: 0, events: 2 });
      expect(await repository.deleteOldEvents(before, 2)).toEqual({ resources: 0, events: 1 });
      expect(await repository.deleteOldEvents(before, 2)).toEqual({ resources: 0, events: 0 });

      // The orphan scan's uuid[] parameter and window query on the embedded engine.
      const gone = uuid4();
      await db.dataSource.query(
        `INSERT INTO log (name, level, flow_run_id, message, "timestamp")
         SELECT 'l', 20, $1, 'm', now() FROM generate_series(1, 3)`,
        [gone],
      );
      expect(await repository.findOrphanedRuns('log', null, 10)).toEqual({
        orphanedRunIds: [gone],
        next: gone,
      });
      expect(await repository.findOrphanedRuns('log', gone, 10)).toEqual({ orphanedRunIds: [], next: null });
      expect(await repository.deleteLogsOfRuns([gone], 2)).toBe(2);
      expect(await repository.deleteLogsOfRuns([gone], 2)).toBe(1);
    } finally {
      await db.drop();
    }
  }, 60_000); // PGlite starts and migrates in seconds, more on a loaded machine
});
