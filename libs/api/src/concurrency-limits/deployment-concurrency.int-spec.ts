import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ContractValidator, createTestDatabase, startTestApi, type TestDatabase } from '@orrery/testing';

type Json = Record<string, unknown>;

/** Deployment concurrency through the orchestration engine, edge cases the e2e suite does not walk. */
describe('deployment concurrency on PostgreSQL', () => {
  const contract = new ContractValidator();
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let flowId: string;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    app = await startTestApi({ kind: 'postgres', url: db.url, poolSize: 3 });
    flowId = (await call('POST', '/flows/', '/flows/', { name: 'deployment-concurrency' })).body.id as string;
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

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
    return { status: response.statusCode, body: parsed as Json };
  }

  async function claimedRun(name: string): Promise<{ deploymentId: string; runId: string }> {
    const deploymentId = (
      await call('POST', '/deployments/', '/deployments/', {
        flow_id: flowId,
        name,
        concurrency_limit: 1,
        enforce_parameter_schema: false,
      })
    ).body.id as string;
    const runId = (
      await call(
        'POST',
        `/deployments/${deploymentId}/create_flow_run`,
        '/deployments/{id}/create_flow_run',
        {},
      )
    ).body.id as string;
    const claim = await call('POST', `/flow_runs/${runId}/set_state`, '/flow_runs/{id}/set_state', {
      state: { type: 'PENDING' },
    });
    expect(claim.body).toMatchObject({ status: 'ACCEPT' });
    return { deploymentId, runId };
  }

  it('lets a run finish after its deployment limit was removed while it held a slot', async () => {
    const { deploymentId, runId } = await claimedRun('limit-removed');
    expect(
      (await call('PATCH', `/deployments/${deploymentId}`, '/deployments/{id}', { concurrency_limit: null }))
        .status,
    ).toBe(204);
    const done = await call('POST', `/flow_runs/${runId}/set_state`, '/flow_runs/{id}/set_state', {
      state: { type: 'CANCELLED' },
    });
    expect(done).toMatchObject({ status: 201, body: { status: 'ACCEPT' } });
  });

  it('lets a run finish after its limit was deactivated while it held a slot', async () => {
    const { deploymentId, runId } = await claimedRun('limit-deactivated');
    const limit = (await call('GET', `/deployments/${deploymentId}`, '/deployments/{id}')).body
      .global_concurrency_limit as Json;
    expect(limit).toMatchObject({ active_slots: 1, limit: 1 });
    expect(
      (
        await call(
          'PATCH',
          `/v2/concurrency_limits/${String(limit.id)}`,
          '/v2/concurrency_limits/{id_or_name}',
          {
            active: false,
          },
        )
      ).status,
    ).toBe(204);
    const done = await call('POST', `/flow_runs/${runId}/set_state`, '/flow_runs/{id}/set_state', {
      state: { type: 'CANCELLED' },
    });
    expect(done).toMatchObject({ status: 201, body: { status: 'ACCEPT' } });
  });

  it('resizes and drops the limit a deployment links, as upstream: its own or a global one', async () => {
    const global = (
      await call('POST', '/v2/concurrency_limits/', '/v2/concurrency_limits/', { name: 'shared', limit: 2 })
    ).body;
    const deploymentId = (
      await call('POST', '/deployments/', '/deployments/', {
        flow_id: flowId,
        name: 'linked-global',
        global_concurrency_limit_id: global.id,
        enforce_parameter_schema: false,
      })
    ).body.id as string;
    const patch = (body: Json) => call('PATCH', `/deployments/${deploymentId}`, '/deployments/{id}', body);
    expect((await patch({ concurrency_limit: 5 })).status).toBe(204);
    const read = await call('GET', `/deployments/${deploymentId}`, '/deployments/{id}');
    expect(read.body.global_concurrency_limit).toMatchObject({ id: global.id, name: 'shared', limit: 5 });
    const own = (
      await call(
        'GET',
        `/v2/concurrency_limits/deployment:${deploymentId}`,
        '/v2/concurrency_limits/{id_or_name}',
      )
    ).status;
    expect(own).toBe(404);
    expect((await patch({ concurrency_limit: null })).status).toBe(204);
    expect(
      (await call('GET', '/v2/concurrency_limits/shared', '/v2/concurrency_limits/{id_or_name}')).status,
    ).toBe(404);

    // a deployment's own limit goes away with the deployment
    const { deploymentId: doomed } = await claimedRun('doomed');
    const limitId = (
      (await call('GET', `/deployments/${doomed}`, '/deployments/{id}')).body.global_concurrency_limit as Json
    ).id as string;
    expect((await call('DELETE', `/deployments/${doomed}`, '/deployments/{id}')).status).toBe(204);
    expect(
      (await call('GET', `/v2/concurrency_limits/${limitId}`, '/v2/concurrency_limits/{id_or_name}')).status,
    ).toBe(404);
  });
});
