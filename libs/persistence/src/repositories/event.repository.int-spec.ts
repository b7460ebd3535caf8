import { DatabaseMigrator } from '../database-migrator';
import { createPgliteTestDatabase, type LocalTestDatabase } from '../test-database.fixture';
import type { EventCriteria } from './event.criteria';
import { EventRepository, type EventWrite, PGLITE_EVENT_STATEMENT_BYTES } from './event.repository';

// The embedded default (decision 3) runs the same statements: write, filter, count, count-by.
/** 2024-04-01 → 2026-11-22 is 965 days; 10:00 is 300 two-minute buckets into the day. */
const BUCKET_10_00 = 965 * 720 + 300;

describe('EventRepository on PGlite', () => {
  let db: LocalTestDatabase;
  let events: EventRepository;

  const write = (
    id: string,
    minute: number,
    name: string,
    resourceId: string,
    related: Record<string, string>[],
  ): EventWrite => ({
    id,
    occurred: `2026-11-22T10:${String(minute).padStart(2, '0')}:00.000000Z`,
    event: name,
    resource: { 'prefect.resource.id': resourceId, 'prefect.resource.name': `name-${resourceId}` },
    related,
    payload: { n: minute },
    received: '2026-11-22T11:00:00.000000Z',
    follows: null,
  });
  const tag = { 'prefect.resource.id': 'prefect.tag.a', 'prefect.resource.role': 'tag', extra: 'x' };
  const batch = [
    write('01930000-0000-7000-8000-000000000001', 1, 'prefect.flow-run.Running', 'prefect.flow-run.a', [tag]),
    write('01930000-0000-7000-8000-000000000002', 2, 'prefect.flow-run.Completed', 'prefect.flow-run.a', []),
    write('01930000-0000-7000-8000-000000000003', 3, 'prefect.task-run.Running', 'prefect.task-run.b', [tag]),
  ];
  const all: EventCriteria = {
    since: '2026-11-22T00:00:00Z',
    until: '2026-11-23T00:00:00Z',
    event: null,
    resource: null,
    related: [],
    anyResource: [],
    ids: null,
    text: null,
    order: 'ASC',
  };

  beforeAll(async () => {
    db = await createPgliteTestDatabase();
    await new DatabaseMigrator(db.dataSource).upgrade();
    events = new EventRepository(db.dataSource);
  }, 60_000);
  afterAll(async () => {
    await db?.drop();
  });

  it('writes once, whatever is re-sent', async () => {
    expect([...(await events.insertMany([...batch, batch[0]!]))].sort()).toEqual(batch.map((e) => e.id));
    expect((await events.insertMany(batch)).size).toBe(0);
    const rows = (await db.dataSource.query('SELECT count(*) AS n FROM event_resources')) as { n: string }[];
    expect(Number(rows[0]?.n)).toBe(5);
  });

  it('writes a batch larger than one PGlite statement in several, all or nothing', async () => {
    const big = (n: number, occurred?: string): EventWrite => ({
      ...write(`01930000-0000-7000-8000-00000000010${n}`, 10 + n, 'big', `prefect.flow-run.big${n}`, []),
      payload: { blob: 'x'.repeat(PGLITE_EVENT_STATEMENT_BYTES * 0.6) },
      // The day before the other tests' window, so their counts and rollups do not see these.
      occurred: occurred ?? `2026-11-21T10:0${n}:00.000000Z`,
    });
    const transactions = jest.spyOn(db.dataSource, 'transaction');
    // The third statement fails (its `occurred` is no timestamp): the first two must not stay.
    await expect(events.insertMany([big(1), big(2), big(3, 'not a time')])).rejects.toThrow();
    expect(transactions).toHaveBeenCalledTimes(1);
    const count = async () =>
      Number(
        (
          (await db.dataSource.query(`SELECT count(*) AS n FROM events WHERE event = 'big'`)) as {
            n: string;
          }[]
        )[0]?.n,
      );
    expect(await count()).toBe(0);
    expect((await events.insertMany([big(1), big(2), big(3)])).size).toBe(3);
    expect(await count()).toBe(3);
    transactions.mockRestore();
  });

  it('stores the row columns and one event_resources row per resource, labels without id and role', async () => {
    const [row] = (await db.dataSource.query(
      `SELECT resource_id, related_resource_ids, occurred = '2026-11-22T10:01:00Z' AS at_occurred,
              recorded IS NOT NULL AS recorded
         FROM events WHERE id = $1`,
      [batch[0]!.id],
    )) as unknown[];
    expect(row).toEqual({
      resource_id: 'prefect.flow-run.a',
      related_resource_ids: ['prefect.tag.a'],
      at_occurred: true,
      recorded: true,
    });
    const resources = (await db.dataSource.query(
      `SELECT resource_id, resource_role, resource FROM event_resources WHERE event_id = $1 ORDER BY resource_role`,
      [batch[0]!.id],
    )) as unknown[];
    expect(resources).toEqual([
      {
        resource_id: 'prefect.flow-run.a',
        resource_role: '',
        resource: { 'prefect.resource.name': 'name-prefect.flow-run.a' },
      },
      { resource_id: 'prefect.tag.a', resource_role: 'tag', resource: { extra: 'x' } },
    ]);
  });

  it('strips NUL from text and JSON values (jsonb rejects \\u0000), and keeps a literal backslash-u text', async () => {
    const id = '01930000-0000-7000-8000-0000000000a1';
    const e = write(id, 4, 'prefect.nul\u0000.event', 'prefect.flow-run.n', []);
    await events.insertMany([{ ...e, payload: { text: 'a\u0000b', literal: 'c\\u0000d' } }]);
    const rows = (await db.dataSource.query(`SELECT event, payload FROM events WHERE id = $1`, [id])) as {
      event: string;
      payload: unknown;
    }[];
    expect(rows).toEqual([{ event: 'prefect.nul.event', payload: { text: 'ab', literal: 'c\\u0000d' } }]);
    await db.dataSource.query(`DELETE FROM event_resources WHERE event_id = $1`, [id]);
    await db.dataSource.query(`DELETE FROM events WHERE id = $1`, [id]);
    await db.dataSource.query(`DELETE FROM event_counts WHERE event = 'prefect.nul.event'`);
  });

  it('filters, counts and groups with the same SQL as PostgreSQL', async () => {
    const related = [{ id: null, role: ['tag'], resourcesInRoles: null, labels: { extra: 'x*' } }];
    expect((await events.page({ ...all, related }, 10, 0)).map((e) => e.id)).toEqual([
      batch[0]!.id,
      batch[2]!.id,
    ]);
    expect(await events.count({ ...all, text: 'running -task' })).toBe(1);
    const page = await events.page(
      {
        ...all,
        order: 'DESC',
        resource: { id: null, idPrefix: ['prefect.flow-run.'], labels: null, distinct: true },
      },
      10,
      0,
    );
    expect(page.map((e) => e.id)).toEqual([batch[1]!.id]);
    expect(await events.countByTimeBucket(all, '2024-04-01T00:00:00Z', 120)).toEqual([
      // 2-minute buckets from midnight: [10:00, 10:02) holds 10:01, [10:02, 10:04) the other two.
      { bucket: BUCKET_10_00, count: 1 },
      { bucket: BUCKET_10_00 + 1, count: 2 },
    ]);
    // Hour buckets over a whole day: the event_counts rollup's path on the embedded engine.
    expect(await events.countByTimeBucket(all, '2024-04-01T00:00:00Z', 3600)).toEqual([
      { bucket: 965 * 24 + 10, count: 3 },
    ]);
    expect((await events.countByValue(all, 'event')).map((r) => [r.value, r.count, r.start_time])).toEqual([
      ['prefect.flow-run.Completed', 1, '2026-11-22 10:02:00+00'],
      ['prefect.flow-run.Running', 1, '2026-11-22 10:01:00+00'],
      ['prefect.task-run.Running', 1, '2026-11-22 10:03:00+00'],
    ]);
    expect((await events.countByValue(all, 'resource')).map((r) => [r.value, r.label, r.count])).toEqual([
      ['prefect.flow-run.a', 'name-prefect.flow-run.a', 2],
      ['prefect.task-run.b', 'name-prefect.task-run.b', 1],
    ]);
  });
});
