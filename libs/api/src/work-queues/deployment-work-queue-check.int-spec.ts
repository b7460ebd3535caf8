import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  ContractValidator,
  createTestDatabase,
  startTestApi,
  type TestDatabase,
  contractCall,
} from '@orrery/testing';

type Json = Record<string, unknown>;

describe('GET /api/deployments/{id}/work_queue_check on PostgreSQL, against the contract', () => {
  const contract = new ContractValidator();
  let db: TestDatabase;
  let app: NestFastifyApplication;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true, poolSize: 1 });
    app = await startTestApi({ kind: 'postgres', url: db.url, poolSize: 3 });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const call = contractCall(() => app, contract);

  it('lists the queues whose legacy filter takes the deployment; 404 "Deployment not found"', async () => {
    const { body: flow } = await call('POST', '/api/flows/', '/flows/', { name: 'checked' });
    const { body: deployment } = await call('POST', '/api/deployments/', '/deployments/', {
      name: 'd',
      flow_id: flow.id,
      tags: ['prod', 'eu'],
    });
    const queue = async (name: string, filter: Json | null) => {
      const { status, body } = await call('POST', '/api/work_queues/', '/work_queues/', { name });
      expect(status).toBe(201);
      if (filter !== null) {
        await db.dataSource.query(`UPDATE work_queue SET filter = $2::jsonb WHERE id = $1`, [
          body.id,
          JSON.stringify(filter),
        ]);
      }
      return String(body.id);
    };
    const open = await queue('no-filter', null);
    const subset = await queue('prod-only', { tags: ['prod'], deployment_ids: null });
    const needsUs = await queue('needs-us', { tags: ['prod', 'us'], deployment_ids: null });
    const mine = await queue('for-this-deployment', { tags: [], deployment_ids: [deployment.id] });
    const another = await queue('for-another', {
      tags: null,
      deployment_ids: ['0195f2a8-0000-7000-8000-000000000001'],
    });

    const url = `/api/deployments/${String(deployment.id)}/work_queue_check`;
    const { status, body } = await call('GET', url, '/deployments/{id}/work_queue_check');
    expect(status).toBe(200);
    const ids = (body as unknown as Json[]).map((q) => q.id);
    // (Queues without a filter, such as a default pool's default queue, take any deployment.)
    expect(ids).toEqual(expect.arrayContaining([open, subset, mine]));
    expect(ids).not.toContain(needsUs);
    expect(ids).not.toContain(another);

    const missing = '/api/deployments/0195f2a8-0000-7000-8000-000000000404/work_queue_check';
    expect(await call('GET', missing, '/deployments/{id}/work_queue_check')).toEqual({
      status: 404,
      body: { detail: 'Deployment not found' },
    });
  });
});
