import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Instant, uuid7 } from '@orrery/domain';
import { EventRepository, type EventWrite } from '@orrery/persistence';
import { ContractValidator, createTestDatabase, startTestApi, type TestDatabase } from '@orrery/testing';

type Json = Record<string, unknown>;
interface Page {
  events: Json[];
  total: number;
  next_page: string | null;
}

const NOW = Instant.now();
const FLOW_1 = {
  'prefect.resource.id': 'prefect.flow.f1',
  'prefect.resource.role': 'flow',
  'prefect.resource.name': 'etl',
};
const FLOW_2 = {
  'prefect.resource.id': 'prefect.flow.f2',
  'prefect.resource.role': 'flow',
  'prefect.resource.name': 'report',
};
const TAG_PROD = { 'prefect.resource.id': 'prefect.tag.prod', 'prefect.resource.role': 'tag' };
const TAG_DEV = { 'prefect.resource.id': 'prefect.tag.dev', 'prefect.resource.role': 'tag' };

function stored(
  hoursAgo: number,
  event: string,
  resource: Json,
  related: Json[] = [],
  payload: Json = {},
): EventWrite {
  const occurred = NOW.minusSeconds(hoursAgo * 3600).toISOString();
  return {
    id: uuid7(),
    occurred,
    event,
    resource: resource as Record<string, string>,
    related: related as Record<string, string>[],
    payload,
    received: occurred,
    follows: null,
  };
}

const E1 = stored(
  5,
  'prefect.flow-run.Running',
  { 'prefect.resource.id': 'prefect.flow-run.a', 'prefect.resource.name': 'alpha' },
  [FLOW_1, TAG_PROD],
);
const E2 = stored(
  4,
  'prefect.flow-run.Completed',
  { 'prefect.resource.id': 'prefect.flow-run.a', 'prefect.resource.name': 'alpha' },
  [FLOW_1, TAG_PROD],
);
const E3 = stored(
  3,
  'prefect.task-run.Completed',
  { 'prefect.resource.id': 'prefect.task-run.t1', 'prefect.resource.name': 'beta' },
  [{ 'prefect.resource.id': 'prefect.flow-run.a', 'prefect.resource.role': 'flow-run' }, FLOW_1],
);
const E4 = stored(
  2,
  'prefect.flow-run.Running',
  { 'prefect.resource.id': 'prefect.flow-run.b', 'prefect.resource.name': 'gamma' },
  [FLOW_2, TAG_DEV],
  {
    message: 'Connection Timeout while polling',
  },
);
const E5 = stored(1, 'prefect.worker.started', { 'prefect.resource.id': 'prefect.worker.process.w1' });
const OLD = stored(200 * 24, 'prefect.flow-run.Running', { 'prefect.resource.id': 'prefect.flow-run.c' });
const IN_WINDOW = [E1, E2, E3, E4, E5];

describe('/api/events/filter and /api/events/filter/next on PostgreSQL, against the contract', () => {
  const contract = new ContractValidator();
  let db: TestDatabase;
  let app: NestFastifyApplication;

  async function filter(body: unknown, status = 200): Promise<Page> {
    const response = await app.inject({ method: 'POST', url: '/api/events/filter', payload: body as Json });
    expect(response.statusCode).toBe(status);
    const parsed = response.json<Page>();
    contract.assert({ method: 'POST', path: '/events/filter', status, body: parsed });
    return parsed;
  }
  async function ids(f: Json, order: 'ASC' | 'DESC' = 'ASC'): Promise<string[]> {
    return (await filter({ filter: { ...f, order } })).events.map((e) => e.id as string);
  }

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true, poolSize: 1 });
    app = await startTestApi({ kind: 'postgres', url: db.url, poolSize: 2 });
    await new EventRepository(db.dataSource).insertMany([...IN_WINDOW, OLD]);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('defaults: the last 180 days, newest first, as ReceivedEvents', async () => {
    const page = await filter({});
    expect(page.total).toBe(5);
    expect(page.next_page).toBeNull();
    expect(page.events.map((e) => e.id)).toEqual([...IN_WINDOW].reverse().map((e) => e.id));
    expect(page.events[0]).toEqual({
      occurred: E5.occurred,
      event: E5.event,
      resource: E5.resource,
      related: [],
      payload: {},
      id: E5.id,
      follows: null,
      received: E5.received,
    });
    const empty = await app.inject({ method: 'POST', url: '/api/events/filter' });
    expect(empty.json<Page>().total).toBe(5);
    expect(await ids({ occurred: { since: NOW.minusSeconds(300 * 86400).toISOString() } })).toEqual(
      [OLD, ...IN_WINDOW].map((e) => e.id),
    );
  });

  it('pages with next_page links until the last page', async () => {
    const first = await filter({ filter: { order: 'ASC' }, limit: 2 });
    expect(first.total).toBe(5);
    expect(first.next_page).toMatch(/^http:\/\/localhost(:80)?\/api\/events\/filter\/next\?page-token=/);
    const seen = first.events.map((e) => e.id);
    let next = first.next_page;
    let pages = 1;
    while (next !== null) {
      const url = new URL(next);
      const response = await app.inject({ method: 'GET', url: `${url.pathname}${url.search}` });
      expect(response.statusCode).toBe(200);
      const page = response.json<Page>();
      contract.assert({ method: 'GET', path: '/events/filter/next', status: 200, body: page });
      expect(page.total).toBe(5);
      seen.push(...page.events.map((e) => e.id));
      next = page.next_page;
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(IN_WINDOW.map((e) => e.id));
  });

  it('refuses a bad page token with 403 and a missing one with 422', async () => {
    for (const token of [
      'garbage',
      Buffer.from('{"filter":{},"count":1}').toString('base64'),
      Buffer.from('[1]').toString('base64'),
    ]) {
      const response = await app.inject({
        method: 'GET',
        url: `/api/events/filter/next?page-token=${encodeURIComponent(token)}`,
      });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toEqual({ detail: 'Invalid page token' });
    }
    const missing = await app.inject({ method: 'GET', url: '/api/events/filter/next' });
    expect(missing.statusCode).toBe(422);
  });

  it('filters by event name, prefix and exclusions', async () => {
    expect(await ids({ event: { prefix: ['prefect.flow-run.'] } })).toEqual([E1, E2, E4].map((e) => e.id));
    expect(await ids({ event: { name: ['prefect.flow-run.Running', 'prefect.worker.started'] } })).toEqual(
      [E1, E4, E5].map((e) => e.id),
    );
    expect(await ids({ event: { prefix: ['prefect.'], exclude_prefix: ['prefect.flow-run.'] } })).toEqual(
      [E3, E5].map((e) => e.id),
    );
    expect(await ids({ event: { exclude_name: ['prefect.flow-run.Running'] } })).toEqual(
      [E2, E3, E5].map((e) => e.id),
    );
  });

  it('filters by the primary resource: id, id prefix, labels (glob prefix, negation), distinct', async () => {
    expect(await ids({ resource: { id: ['prefect.flow-run.a'] } })).toEqual([E1, E2].map((e) => e.id));
    expect(await ids({ resource: { id_prefix: ['prefect.flow-run.', 'prefect.worker.'] } })).toEqual(
      [E1, E2, E4, E5].map((e) => e.id),
    );
    expect(await ids({ resource: { labels: { 'prefect.resource.name': ['alpha', 'gam*'] } } })).toEqual(
      [E1, E2, E4].map((e) => e.id),
    );
    expect(await ids({ resource: { labels: { 'prefect.resource.name': '!alpha' } } })).toEqual(
      [E3, E4].map((e) => e.id),
    );
    expect(await ids({ resource: { labels: { 'prefect.resource.id': 'prefect.task-run.*' } } })).toEqual([
      E3.id,
    ]);
    const distinct = await filter({
      filter: { resource: { id_prefix: ['prefect.flow-run.'], distinct: true } },
    });
    expect(distinct.events.map((e) => e.id)).toEqual([E4, E2].map((e) => e.id));
    expect(distinct.total).toBe(2);
  });

  it('filters by related resources through event_resources (each entry of a list must match)', async () => {
    expect(await ids({ related: { role: ['tag'] } })).toEqual([E1, E2, E4].map((e) => e.id));
    expect(await ids({ related: { id: ['prefect.flow.f1'] } })).toEqual([E1, E2, E3].map((e) => e.id));
    expect(await ids({ related: { resources_in_roles: [['prefect.flow-run.a', 'flow-run']] } })).toEqual([
      E3.id,
    ]);
    expect(await ids({ related: { labels: { 'prefect.resource.name': 'rep*' } } })).toEqual([E4.id]);
    expect(await ids({ related: [{ id: ['prefect.flow.f1'] }, { id: ['prefect.tag.prod'] }] })).toEqual(
      [E1, E2].map((e) => e.id),
    );
    // The primary resource is not a related one.
    expect(await ids({ related: { id: ['prefect.flow-run.b'] } })).toEqual([]);
  });

  it('filters by any resource (primary or related), by id and by text', async () => {
    expect(await ids({ any_resource: { id: ['prefect.flow-run.a'] } })).toEqual(
      [E1, E2, E3].map((e) => e.id),
    );
    expect(await ids({ any_resource: { id_prefix: ['prefect.worker.'] } })).toEqual([E5.id]);
    expect(
      await ids({
        any_resource: {
          labels: { 'prefect.resource.role': 'tag', 'prefect.resource.id': 'prefect.tag.dev' },
        },
      }),
    ).toEqual([E4.id]);
    expect(await ids({ id: { id: [E2.id.toUpperCase(), E5.id] } })).toEqual([E2, E5].map((e) => e.id));
    // Every UUID form pydantic reads: no hyphens, braces, urn:uuid:.
    expect(await ids({ id: { id: [E2.id.replace(/-/g, ''), `{${E3.id}}`, `urn:uuid:${E5.id}`] } })).toEqual(
      [E2, E3, E5].map((e) => e.id),
    );
    // Empty lists constrain nothing, as upstream (the SDK's worker sends `"id": {"id": []}`).
    expect(await ids({ id: { id: [] }, event: { name: [], prefix: null }, related: { role: [] } })).toEqual(
      [E1, E2, E3, E4].map((e) => e.id),
    );
    expect(await ids({ text: { query: '"connection timeout"' } })).toEqual([E4.id]);
    expect(await ids({ text: { query: 'flow-run -alpha' } })).toEqual([E3, E4].map((e) => e.id));
    expect(await ids({ occurred: { since: E2.occurred, until: E4.occurred } }, 'DESC')).toEqual(
      [E4, E3, E2].map((e) => e.id),
    );
  });

  it('answers 422 for limits over 50, unknown fields and malformed criteria', async () => {
    const cases: [unknown, (string | number)[]][] = [
      [{ limit: 51 }, ['body', 'limit']],
      [{ limit: -1 }, ['body', 'limit']],
      [{ filter: { nope: 1 } }, ['body', 'filter', 'nope']],
      [{ filter: { event: { prefix: 'x' } } }, ['body', 'filter', 'event', 'prefix']],
      [{ filter: { occurred: { since: 'yesterday' } } }, ['body', 'filter', 'occurred', 'since']],
      [{ filter: { order: 'UP' } }, ['body', 'filter', 'order']],
      [{ filter: { id: { id: ['x'] } } }, ['body', 'filter', 'id', 'id', 0]],
      [
        { filter: { related: [{ resources_in_roles: [['a']] }] } },
        ['body', 'filter', 'related', 0, 'resources_in_roles', 0],
      ],
    ];
    for (const [body, loc] of cases) {
      const response = await app.inject({ method: 'POST', url: '/api/events/filter', payload: body as Json });
      expect(response.statusCode).toBe(422);
      const parsed = response.json<{ exception_detail: { loc: unknown[] }[] }>();
      contract.assert({ method: 'POST', path: '/events/filter', status: 422, body: parsed });
      expect(parsed.exception_detail.map((d) => d.loc)).toEqual([loc]);
    }
  });

  describe('POST /api/events/count-by/{countable}', () => {
    type Count = { value: string; label: string; count: number; start_time: string; end_time: string };
    async function countBy(countable: string, body: unknown, status = 200): Promise<Count[]> {
      const response = await app.inject({
        method: 'POST',
        url: `/api/events/count-by/${countable}`,
        payload: body as Json,
      });
      expect(response.statusCode).toBe(status);
      const parsed = response.json<Count[]>();
      if (status === 200)
        contract.assert({ method: 'POST', path: '/events/count-by/{countable}', status, body: parsed });
      return parsed;
    }

    it('counts per event name and per resource, most frequent first, labelled with the latest name', async () => {
      expect(await countBy('event', { filter: {} })).toEqual([
        {
          value: 'prefect.flow-run.Running',
          label: 'prefect.flow-run.Running',
          count: 2,
          start_time: E1.occurred,
          end_time: E4.occurred,
        },
        {
          value: 'prefect.flow-run.Completed',
          label: 'prefect.flow-run.Completed',
          count: 1,
          start_time: E2.occurred,
          end_time: E2.occurred,
        },
        {
          value: 'prefect.task-run.Completed',
          label: 'prefect.task-run.Completed',
          count: 1,
          start_time: E3.occurred,
          end_time: E3.occurred,
        },
        {
          value: 'prefect.worker.started',
          label: 'prefect.worker.started',
          count: 1,
          start_time: E5.occurred,
          end_time: E5.occurred,
        },
      ]);
      const resources = await countBy('resource', {
        filter: { event: { exclude_prefix: ['prefect.worker.'] } },
      });
      expect(resources.map((r) => [r.value, r.label, r.count])).toEqual([
        ['prefect.flow-run.a', 'alpha', 2],
        ['prefect.task-run.t1', 'beta', 1],
        ['prefect.flow-run.b', 'gamma', 1],
      ]);
    });

    it('counts per time bucket, empty buckets filled with 0', async () => {
      const hours = await countBy('time', {
        filter: { occurred: { since: NOW.minusSeconds(6 * 3600).toISOString(), until: NOW.toISOString() } },
        time_unit: 'hour',
      });
      expect(hours.length).toBeGreaterThanOrEqual(6);
      expect(hours.length).toBeLessThanOrEqual(7);
      expect(hours.reduce((n, b) => n + b.count, 0)).toBe(5);
      expect(hours.map((b) => b.value)).toEqual(hours.map((_, i) => String(i)));
      expect(hours[0]?.label).toMatch(/^\d{4}-\d\d-\d\dT\d\d:00:00\+00:00$/);
      const days = await countBy('day', { filter: {}, time_unit: 'second' });
      expect(days.length).toBeGreaterThanOrEqual(180);
      expect(days.reduce((n, b) => n + b.count, 0)).toBe(5);
    });

    it('answers 422 for an unknown countable, a missing filter, a tiny interval and too many buckets', async () => {
      await countBy('nope', { filter: {} }, 422);
      await countBy('event', {}, 422);
      await countBy('time', { filter: {}, time_interval: 0.001 }, 422);
      const response = await app.inject({
        method: 'POST',
        url: '/api/events/count-by/time',
        payload: { filter: {}, time_unit: 'second' },
      });
      expect(response.statusCode).toBe(422);
      expect(response.json<{ detail: string }>().detail).toMatch(
        /^The given interval would create \d+ buckets, which is too many/,
      );
    });
  });
});
