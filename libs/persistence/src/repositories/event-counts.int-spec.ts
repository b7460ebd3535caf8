import { Instant } from '@orrery/domain';
import { createTestDatabase, type LocalTestDatabase } from '../test-database.fixture';
import { DbVacuumRepository } from './db-vacuum.repository';
import type { EventCriteria } from './event.criteria';
import { EventRepository, type EventWrite } from './event.repository';
import { eventCountQuery, eventTimeBucketQuery, eventValueCountQuery } from './event-filter.sql';

// The count-by rollup (event_counts) must give exactly what counting the events gives (count-by and
// the events page's total): for windows
// that start and end inside an hour, on an hour, or hold no whole hour; with name filters; after
// redelivered events; and after db-vacuum has deleted old events batch by batch.

const PIVOT = '2024-04-01T00:00:00Z';
const BASE = Instant.parse('2026-11-22T09:00:00Z').epochMicros;
const NAMES = ['prefect.flow-run.Running', 'prefect.flow-run.Completed', 'prefect.task-run.Running', 'x.y'];

/** Deterministic pseudo-random numbers. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function criteria(since: number, until: number, event: EventCriteria['event'] = null): EventCriteria {
  return {
    since: Instant.fromEpochMicros(since).toISOString(),
    until: Instant.fromEpochMicros(until).toISOString(),
    event,
    resource: null,
    related: [],
    anyResource: [],
    ids: null,
    text: null,
    order: 'ASC',
  };
}

describe('event_counts: the count-by rollup on PostgreSQL', () => {
  let db: LocalTestDatabase;
  let events: EventRepository;
  const random = lcg(17);
  const written: EventWrite[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    events = new EventRepository(db.dataSource);
    // 600 events over three hours at random microseconds, in batches, one batch sent twice.
    for (let b = 0; b < 6; b++) {
      const batch: EventWrite[] = [];
      for (let i = 0; i < 100; i++) {
        const occurred = BASE + Math.floor(random() * 3 * 3600e6);
        batch.push({
          id: `01930000-0000-7000-8000-${String(b * 100 + i).padStart(12, '0')}`,
          occurred: Instant.fromEpochMicros(occurred).toISOString(),
          event: NAMES[Math.floor(random() * NAMES.length)]!,
          resource: { 'prefect.resource.id': `prefect.flow-run.${i % 7}` },
          related: [],
          payload: {},
          received: Instant.fromEpochMicros(occurred).toISOString(),
          follows: null,
        });
      }
      await events.insertMany(batch);
      if (b === 2) await events.insertMany(batch.slice(0, 50)); // redelivered: not counted again
      written.push(...batch);
    }
  }, 60_000);
  afterAll(async () => {
    await db?.drop();
  });

  /** What counting the events themselves gives (the statements used before the rollup). */
  async function raw(c: EventCriteria, delta: number) {
    const byName = eventValueCountQuery(c, 'event');
    const byTime = eventTimeBucketQuery(c, PIVOT, delta);
    const total = eventCountQuery(c);
    const [counted] = (await db.dataSource.query(total.sql, total.params)) as [{ count: string }];
    const names = (await db.dataSource.query(byName.sql, byName.params)) as Record<string, unknown>[];
    const times = (await db.dataSource.query(byTime.sql, byTime.params)) as Record<string, unknown>[];
    return {
      total: Number(counted.count),
      names: names.map((r) => ({ ...r, count: Number(r.count) })),
      times: times.map((r) => ({ bucket: Number(r.bucket), count: Number(r.count) })),
    };
  }

  async function expectSameAsRaw(): Promise<number> {
    const windows: [number, number][] = [
      [BASE - 3600e6, BASE + 4 * 3600e6], // everything
      [BASE + 123_456_789, BASE + 2 * 3600e6 + 7_654_321], // inside hours at both ends
      [BASE + 600e6, BASE + 5400e6], // on hours
      [BASE + 61_000_000, BASE + 3_599_000_000], // no whole hour
      [BASE + 59_999_999, BASE + 180_000_001],
    ];
    let checked = 0;
    for (const [since, until] of windows) {
      for (const event of [
        null,
        { prefix: ['prefect.flow-run.'], excludePrefix: null, name: null, excludeName: null },
        { prefix: null, excludePrefix: ['prefect.task'], name: null, excludeName: ['x.y'] },
      ]) {
        for (const delta of [60, 3600, 7200, 90]) {
          const c = criteria(since, until, event);
          const expected = await raw(c, delta);
          expect(await events.countByValue(c, 'event')).toEqual(expected.names);
          expect(await events.countByTimeBucket(c, PIVOT, delta)).toEqual(expected.times);
          expect(await events.count(c)).toBe(expected.total);
          checked += expected.times.length;
        }
      }
    }
    return checked;
  }

  it('answers count-by/event and count-by/time exactly, whatever the window', async () => {
    expect(await expectSameAsRaw()).toBeGreaterThan(100);
    const [row] = (await db.dataSource.query(`SELECT sum(count)::int AS n FROM event_counts`)) as [
      { n: number },
    ];
    expect(row.n).toBe(written.length);
  });

  it('stays exact while db-vacuum deletes old events in batches', async () => {
    const vacuum = new DbVacuumRepository(db.dataSource);
    const before = Instant.fromEpochMicros(BASE + 7_200_000_000 + 12_345_678);
    // One batch: part of an hour may be gone, the rest still counted.
    await vacuum.deleteOldEvents(before, 37);
    for (;;) {
      const { resources, events: deleted } = await vacuum.deleteOldEvents(before, 37);
      if (resources + deleted === 0) break;
    }
    await expectSameAsRaw();
    // Whole hours only (the cut-off is rounded down to an hour); no empty rows are left.
    const [left] = (await db.dataSource.query(
      `SELECT (SELECT count(*) FROM events)::int AS events, (SELECT sum(count) FROM event_counts)::int AS counted,
              (SELECT count(*) FROM event_counts WHERE count <= 0)::int AS empty,
              (SELECT min(occurred) FROM events) >= date_bin('1 hour', $1::timestamptz, '${PIVOT}') AS whole`,
      [before.toISOString()],
    )) as [{ events: number; counted: number; empty: number; whole: boolean }];
    expect(left.events).toBeLessThan(written.length);
    expect(left).toEqual({ events: left.events, counted: left.events, empty: 0, whole: true });
  });
});
