import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DATA_SOURCE } from '@orrery/persistence';
import { ContractValidator, startTestApiOn } from '@orrery/testing';
import type { DataSource } from 'typeorm';

type Json = Record<string, unknown>;

/** The API on a fresh migrated database, and how to drop it. */
type Backend = () => Promise<{ app: NestFastifyApplication; drop: () => Promise<void> }>;

const postgres: Backend = () => startTestApiOn('postgres', 4);
const pglite: Backend = () => startTestApiOn('pglite');

describe.each([
  ['PostgreSQL', postgres],
  ['PGlite (the embedded default)', pglite],
] as const)(
  '/api/concurrency_limits and /api/v2/concurrency_limits on %s, against the contract',
  (_name, backend) => {
    const contract = new ContractValidator();
    let app: NestFastifyApplication;
    let drop: () => Promise<void>;
    let db: { dataSource: DataSource };
    beforeAll(async () => {
      ({ app, drop } = await backend());
      db = { dataSource: app.get<DataSource>(DATA_SOURCE) };
    }, 60_000);
    afterAll(async () => {
      await app.close();
      await drop();
    });

    /** Calls the API and checks the response against the operation's schema in the contract. */
    async function call(method: string, url: string, path: string, body?: unknown) {
      const response = await app
        .getHttpAdapter()
        .getInstance()
        .inject({
          method: method as 'GET',
          url: `/api${url}`,
          ...(body === undefined
            ? {}
            : { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) }),
        });
      const parsed: unknown = response.body === '' ? null : response.json();
      contract.assert({ method, path, status: response.statusCode, body: parsed });
      return {
        status: response.statusCode,
        body: parsed as Json & Json[],
        retryAfter: response.headers['retry-after'] as string | undefined,
      };
    }

    const v2 = (name: string, fields: Json = {}) =>
      call('POST', '/v2/concurrency_limits/', '/v2/concurrency_limits/', { name, ...fields });
    const readV2 = async (idOrName: string) =>
      (await call('GET', `/v2/concurrency_limits/${idOrName}`, '/v2/concurrency_limits/{id_or_name}')).body;
    const increment = (names: string[], slots = 1, extra: Json = {}) =>
      call('POST', '/v2/concurrency_limits/increment', '/v2/concurrency_limits/increment', {
        names,
        slots,
        ...extra,
      });

    async function eventsOf(id: string): Promise<string[]> {
      const rows = (await db.dataSource.query(
        `SELECT data->>'event' AS event FROM outbox WHERE data->'resource'->>'prefect.resource.id' = $1 ORDER BY created, id`,
        [`prefect.concurrency-limit.${id}`],
      )) as { event: string }[];
      return rows.map((r) => r.event);
    }

    describe('v2', () => {
      it('creates (201), reads by id and name, filters by name, updates and deletes, with lifecycle events', async () => {
        const created = await v2('crud-b', { limit: 3, slot_decay_per_second: 0.5 });
        expect(created.status).toBe(201);
        expect(created.body).toMatchObject({
          name: 'crud-b',
          limit: 3,
          active: true,
          active_slots: 0,
          denied_slots: 0,
          slot_decay_per_second: 0.5,
          avg_slot_occupancy_seconds: 2,
        });
        const id = created.body.id as string;
        await v2('crud-a', { limit: 1 });
        expect(await readV2(id)).toMatchObject({ id, name: 'crud-b', limit: 3, active_slots: 0 });
        expect(await readV2('crud-b')).toMatchObject({ id });
        // Whatever Python's UUID() reads is an id: uppercase, no hyphens, the URN prefix.
        expect(await readV2(id.toUpperCase().replace(/-/g, ''))).toMatchObject({ id });
        expect(await readV2(`urn:uuid:${id}`)).toMatchObject({ id });

        const page = await call('POST', '/v2/concurrency_limits/filter', '/v2/concurrency_limits/filter', {
          limit: 1,
          offset: 1,
        });
        expect(page.body.map((l) => l.name)).toEqual(['crud-b']);

        const patched = await call(
          'PATCH',
          `/v2/concurrency_limits/crud-b`,
          '/v2/concurrency_limits/{id_or_name}',
          {
            limit: 5,
            active: false,
            name: null,
          },
        );
        expect(patched.status).toBe(204);
        expect(await readV2(id)).toMatchObject({ name: 'crud-b', limit: 5, active: false });

        const deleted = await call(
          'DELETE',
          `/v2/concurrency_limits/${id}`,
          '/v2/concurrency_limits/{id_or_name}',
        );
        expect(deleted.status).toBe(204);
        expect(await eventsOf(id)).toEqual([
          'prefect.concurrency-limit.created',
          'prefect.concurrency-limit.updated',
          'prefect.concurrency-limit.deleted',
        ]);
      });

      it('answers 404, 409 and 422 with Prefect error bodies', async () => {
        for (const [method, idOrName] of [
          ['GET', 'missing'],
          ['PATCH', '00000000-0000-4000-8000-000000000000'],
          ['DELETE', 'missing'],
        ] as const) {
          const response = await call(
            method,
            `/v2/concurrency_limits/${idOrName}`,
            '/v2/concurrency_limits/{id_or_name}',
            method === 'PATCH' ? { limit: 1 } : undefined,
          );
          expect(response).toMatchObject({ status: 404, body: { detail: 'Concurrency Limit not found' } });
        }
        await v2('taken', { limit: 1 });
        expect((await v2('taken', { limit: 1 })).status).toBe(409);
        const bad = await v2('bad/name', { limit: -1 });
        expect(bad.status).toBe(422);
        const locs = ((bad.body as Json).exception_detail as Json[]).map((d) =>
          (d.loc as string[]).join('.'),
        );
        expect(locs).toEqual(expect.arrayContaining(['body.name', 'body.limit']));
        const noSlots = await increment(['taken'], 0);
        expect(noSlots.status).toBe(422);
      });

      it('takes slots all-or-none, answers 423 with a jittered Retry-After when full, and gives them back', async () => {
        const one = (await v2('one', { limit: 1 })).body;
        const two = (await v2('two', { limit: 2 })).body;
        const taken = await increment(['one', 'two', 'no-such-limit']);
        expect(taken.status).toBe(200);
        expect(taken.body).toEqual(
          expect.arrayContaining([
            { id: one.id, name: 'one', limit: 1 },
            { id: two.id, name: 'two', limit: 2 },
          ]),
        );
        const full = await increment(['one', 'two']);
        expect(full.status).toBe(423);
        expect(full.body).toEqual({ detail: 'Locked' });
        // limit 1, 2 s average occupancy, nothing denied before: average wait 2 s, clamped to ≤ 2.6 s.
        const retryAfter = Number(full.retryAfter);
        expect(retryAfter).toBeGreaterThan(0);
        expect(retryAfter).toBeLessThanOrEqual(2.6);
        // all or none: `two` did not take a slot for the denied request, and `one` counted the denial
        expect(await readV2('two')).toMatchObject({ active_slots: 1 });
        const [row] = (await db.dataSource.query(
          `SELECT denied_slots FROM concurrency_limit_v2 WHERE name = 'one'`,
        )) as {
          denied_slots: number;
        }[];
        expect(row?.denied_slots).toBe(1);

        const released = await call(
          'POST',
          '/v2/concurrency_limits/decrement',
          '/v2/concurrency_limits/decrement',
          {
            names: ['one', 'two'],
            slots: 1,
            occupancy_seconds: 4,
          },
        );
        expect(released.status).toBe(200);
        expect(await readV2('one')).toMatchObject({ active_slots: 0 });
        // average occupancy moves towards 4 s per slot over limit × 2 samples: 2 + 4/2 − 2/2 = 3
        const [avg] = (await db.dataSource.query(
          `SELECT avg_slot_occupancy_seconds AS a FROM concurrency_limit_v2 WHERE name = 'one'`,
        )) as { a: number }[];
        expect(avg?.a).toBeCloseTo(3);
        expect((await increment(['one'])).status).toBe(200);
      });

      it('never hands out more slots than the limit under concurrent requests', async () => {
        await v2('race', { limit: 3 });
        const answers = await Promise.all(Array.from({ length: 12 }, () => increment(['race'])));
        expect(answers.filter((a) => a.status === 200)).toHaveLength(3);
        expect(answers.filter((a) => a.status === 423)).toHaveLength(9);
        expect(await readV2('race')).toMatchObject({ active_slots: 3 });
      });

      it('refuses requests that can never succeed (422) and rate limits without decay', async () => {
        await v2('small', { limit: 1 });
        expect(await increment(['small'], 2)).toMatchObject({
          status: 422,
          body: { detail: 'Slots requested is greater than the limit' },
        });
        expect(await increment(['small'], 1, { mode: 'rate_limit' })).toMatchObject({
          status: 422,
          body: {
            detail:
              "Only concurrency limits with slot decay can be used for rate limiting. The following limits do not have a decay configured: 'small'",
          },
        });
        await v2('decaying', { limit: 1, slot_decay_per_second: 1000 });
        expect((await increment(['decaying'], 1, { mode: 'rate_limit' })).status).toBe(200);
        // 1000 slots per second decay: the slot is gone after a few milliseconds of wall time
        await db.dataSource.query(
          `UPDATE concurrency_limit_v2 SET updated = updated - interval '1 second' WHERE name = 'decaying'`,
        );
        expect(await readV2('decaying')).toMatchObject({ active_slots: 0 });
        expect((await increment(['decaying'], 1, { mode: 'rate_limit' })).status).toBe(200);
      });

      it('leases: increment-with-lease, renew (204, 410 once gone), decrement-with-lease (204, idempotent)', async () => {
        const limit = (await v2('leased', { limit: 1 })).body;
        const taken = await call(
          'POST',
          '/v2/concurrency_limits/increment-with-lease',
          '/v2/concurrency_limits/increment-with-lease',
          {
            names: ['leased'],
            slots: 1,
            mode: 'concurrency',
            lease_duration: 60,
            holder: { type: 'task_run', id: '00000000-0000-4000-8000-0000000000aa' },
          },
        );
        expect(taken.status).toBe(200);
        expect(taken.body).toMatchObject({ limits: [{ id: limit.id, name: 'leased', limit: 1 }] });
        const leaseId = (taken.body as Json).lease_id as string;
        const renew = (id: string, body: Json = { lease_duration: 120 }) =>
          call(
            'POST',
            `/v2/concurrency_limits/leases/${id}/renew`,
            '/v2/concurrency_limits/leases/{lease_id}/renew',
            body,
          );
        expect((await renew(leaseId)).status).toBe(204);
        // lease_id has no route convertor: pydantic reads it, braces and uppercase included.
        expect((await renew(`%7B${leaseId.toUpperCase()}%7D`)).status).toBe(204);
        expect((await renew('not-a-lease')).body).toMatchObject({
          exception_detail: [{ type: 'uuid_parsing', loc: ['path', 'lease_id'] }],
        });
        expect((await renew(leaseId, { lease_duration: 10 })).status).toBe(422);
        const withLease = await call(
          'POST',
          '/v2/concurrency_limits/increment-with-lease',
          '/v2/concurrency_limits/increment-with-lease',
          { names: ['leased'], slots: 1 },
        );
        expect(withLease.status).toBe(423);
        expect(withLease.retryAfter).toBeDefined();

        const release = (id: string) =>
          call(
            'POST',
            '/v2/concurrency_limits/decrement-with-lease',
            '/v2/concurrency_limits/decrement-with-lease',
            {
              lease_id: id,
            },
          );
        expect((await release(leaseId)).status).toBe(204);
        expect(await readV2('leased')).toMatchObject({ active_slots: 0 });
        expect((await release(leaseId)).status).toBe(204);
        expect(await readV2('leased')).toMatchObject({ active_slots: 0 });
        expect(await renew(leaseId)).toMatchObject({
          status: 410,
          body: { detail: 'Lease not found - it may have expired or been revoked' },
        });
        // an empty `limits` means "no such limits": the client goes ahead without a slot
        const none = await call(
          'POST',
          '/v2/concurrency_limits/increment-with-lease',
          '/v2/concurrency_limits/increment-with-lease',
          { names: ['tag:unlimited'], slots: 1 },
        );
        expect(none).toMatchObject({ status: 200, body: { limits: [] } });
      });
    });

    describe('v1 (tag limits over v2 rows `tag:<tag>`)', () => {
      const TASK_A = '00000000-0000-4000-8000-00000000000a';
      const TASK_B = '00000000-0000-4000-8000-00000000000b';
      const create = (tag: string, limit: number) =>
        call('POST', '/concurrency_limits/', '/concurrency_limits/', { tag, concurrency_limit: limit });
      const readTag = (tag: string) =>
        call('GET', `/concurrency_limits/tag/${tag}`, '/concurrency_limits/tag/{tag}');
      const incrementTags = (names: string[], taskRunId: string) =>
        call('POST', '/concurrency_limits/increment', '/concurrency_limits/increment', {
          names,
          task_run_id: taskRunId,
        });
      const decrementTags = (names: string[], taskRunId: string) =>
        call('POST', '/concurrency_limits/decrement', '/concurrency_limits/decrement', {
          names,
          task_run_id: taskRunId,
        });

      it('creates (201) then resizes (200) the v2 row tag:<tag>, and reads it by id, tag and filter', async () => {
        const created = await create('db', 1);
        expect(created.status).toBe(201);
        expect(created.body).toMatchObject({ tag: 'db', concurrency_limit: 1, active_slots: [] });
        const resized = await create('db', 2);
        expect(resized).toMatchObject({ status: 200, body: { id: created.body.id, concurrency_limit: 2 } });
        expect(await readV2('tag:db')).toMatchObject({ id: created.body.id, limit: 2 });
        expect(
          (await call('GET', `/concurrency_limits/${String(created.body.id)}`, '/concurrency_limits/{id}'))
            .body,
        ).toMatchObject({ tag: 'db', concurrency_limit: 2 });
        expect((await readTag('db')).body).toMatchObject({ id: created.body.id });
        const listed = await call('POST', '/concurrency_limits/filter', '/concurrency_limits/filter', {});
        expect(listed.body.map((l) => l.tag)).toContain('db');
        expect(listed.body.every((l) => typeof l.tag === 'string')).toBe(true);
      });

      it('increments per task run with 423 when full or 0, lists holders as active slots, decrements', async () => {
        await create('io', 1);
        await create('zero', 0);
        const first = await incrementTags(['io'], TASK_A);
        expect(first.status).toBe(200);
        expect(first.body).toMatchObject([{ name: 'io', limit: 1 }]);
        expect((await readTag('io')).body).toMatchObject({ active_slots: [TASK_A] });
        const second = await incrementTags(['io'], TASK_B);
        expect(second).toMatchObject({
          status: 423,
          body: { detail: 'Concurrency limit for the io tag has been reached' },
          retryAfter: '10.0',
        });
        expect(await incrementTags(['zero'], TASK_B)).toMatchObject({
          status: 423,
          body: {
            detail:
              'The concurrency limit on tag "zero" is 0 and will deadlock if the task tries to run again.',
          },
        });
        const released = await decrementTags(['io'], TASK_A);
        expect(released.status).toBe(200);
        expect((await readTag('io')).body).toMatchObject({ active_slots: [] });
        expect(await readV2('tag:io')).toMatchObject({ active_slots: 0 });
        expect((await incrementTags(['io'], TASK_B)).status).toBe(200);
      });

      it('resets a tag (slots given back, optional override) and deletes by tag and by id (200 null, then 404)', async () => {
        await create('reset-me', 2);
        await incrementTags(['reset-me'], TASK_A);
        const reset = await call(
          'POST',
          '/concurrency_limits/tag/reset-me/reset',
          '/concurrency_limits/tag/{tag}/reset',
          {
            slot_override: [TASK_B],
          },
        );
        expect(reset).toMatchObject({ status: 200, body: null });
        expect((await readTag('reset-me')).body).toMatchObject({ active_slots: [TASK_B] });
        expect(await readV2('tag:reset-me')).toMatchObject({ active_slots: 1 });

        expect(
          await call('DELETE', '/concurrency_limits/tag/reset-me', '/concurrency_limits/tag/{tag}'),
        ).toMatchObject({
          status: 200,
          body: null,
        });
        expect((await readTag('reset-me')).status).toBe(404);
        const byId = (await create('by-id', 1)).body.id as string;
        expect((await call('DELETE', `/concurrency_limits/${byId}`, '/concurrency_limits/{id}')).status).toBe(
          200,
        );
        for (const [method, url, path] of [
          ['DELETE', `/concurrency_limits/${byId}`, '/concurrency_limits/{id}'],
          ['GET', `/concurrency_limits/${byId}`, '/concurrency_limits/{id}'],
          ['GET', '/concurrency_limits/tag/nope', '/concurrency_limits/tag/{tag}'],
          ['DELETE', '/concurrency_limits/tag/nope', '/concurrency_limits/tag/{tag}'],
          ['POST', '/concurrency_limits/tag/nope/reset', '/concurrency_limits/tag/{tag}/reset'],
        ] as const) {
          expect(await call(method, url, path, method === 'POST' ? {} : undefined)).toMatchObject({
            status: 404,
            body: { detail: 'Concurrency limit not found' },
          });
        }
      });

      it('still serves legacy v1 rows: read, increment into active_slots, 423 when full, decrement', async () => {
        await db.dataSource.query(
          `INSERT INTO concurrency_limit (tag, concurrency_limit, active_slots) VALUES ('legacy', 1, '[]')`,
        );
        expect((await readTag('legacy')).body).toMatchObject({
          tag: 'legacy',
          concurrency_limit: 1,
          active_slots: [],
        });
        expect((await incrementTags(['legacy'], TASK_A)).status).toBe(200);
        expect((await readTag('legacy')).body).toMatchObject({ active_slots: [TASK_A] });
        expect((await incrementTags(['legacy'], TASK_B)).status).toBe(423);
        expect((await decrementTags(['legacy'], TASK_A)).body).toMatchObject([{ name: 'legacy', limit: 1 }]);
        expect((await readTag('legacy')).body).toMatchObject({ active_slots: [] });
      });
    });
  },
);
