import { Instant } from '@orrery/domain';

export type Json = Record<string, unknown>;

/** What the scenarios need of a server: HTTP calls, and the state events of a flow run. */
export interface SdkHarness {
  /**
   * One API call with the SDK's headers (`User-Agent: prefect/3.8.4…`, `X-PREFECT-API-VERSION`);
   * `path` is the contract's path template, for the contract check of the response.
   */
  call(method: string, url: string, path: string, body?: unknown): Promise<{ status: number; body: Json }>;
  /** The first `atLeast` `prefect.flow-run.*` events of a run, in the order they occurred. */
  flowRunEvents(flowRunId: string, atLeast: number): Promise<Json[]>;
}

/** The SDK's headers, as Prefect 3.8.4 sends them. */
export const SDK_HEADERS = {
  'user-agent': 'prefect/3.8.4.dev6 (API 0.8.4)',
  'x-prefect-api-version': '0.8.4',
} as const;

/**
 * The orchestration path end to end through the HTTP API, in the order the Prefect 3.8.4 SDK calls
 * it (contract transcripts flow-two-tasks.jsonl and flow-retries-subflow.jsonl, spec-api §6),
 * checking the run columns the transforms maintain and the state events the outbox publishes. Run
 * in-process (sdk-sequences.int-spec.ts) and against real server processes, embedded and
 * PostgreSQL + Redis (sdk-sequences.e2e-spec.ts).
 */
export function sdkSequenceScenarios(harness: () => SdkHarness): void {
  const call = (method: string, url: string, path: string, body?: unknown) =>
    harness().call(method, url, path, body);
  let flowId: string;
  beforeAll(async () => {
    flowId = String(
      (await call('POST', '/api/flows/', '/flows/', { name: `sdk-flow-${crypto.randomUUID()}` })).body.id,
    );
  });

  const createFlowRun = async (body: Json) => {
    const response = await call('POST', '/api/flow_runs/', '/flow_runs/', {
      state: {
        type: 'PENDING',
        name: 'Pending',
        message: null,
        state_details: { traceparent: null },
        data: null,
      },
      name: null,
      flow_id: flowId,
      flow_version: 'v1',
      parameters: {},
      context: {},
      parent_task_run_id: null,
      empirical_policy: { retries: 0, retry_delay: 0 },
      tags: [],
      ...body,
    });
    expect(response.status).toBe(201);
    return response.body;
  };
  const transitionId = () => crypto.randomUUID();
  const setFlowState = (id: unknown, state: Json, force = false) =>
    call('POST', `/api/flow_runs/${String(id)}/set_state`, '/flow_runs/{id}/set_state', { state, force });
  const setTaskState = (id: unknown, state: Json) =>
    call('POST', `/api/task_runs/${String(id)}/set_state`, '/task_runs/{id}/set_state', {
      state,
      force: false,
    });
  const readFlowRun = async (id: unknown) =>
    (await call('GET', `/api/flow_runs/${String(id)}`, '/flow_runs/{id}')).body;
  const stateOf = (response: { body: Json }) => response.body.state as Json & { state_details: Json };
  const seconds = (a: unknown, b: unknown) => Instant.parse(String(b)).secondsSince(Instant.parse(String(a)));

  it('runs an ad-hoc flow with three tasks: run columns, task runs and state events', async () => {
    const run = await createFlowRun({ parameters: { a: 1, b: 2 } });
    const running = await setFlowState(run.id, {
      type: 'RUNNING',
      name: 'Running',
      state_details: { transition_id: transitionId() },
    });
    expect(running.status).toBe(201);
    expect(running.body.status).toBe('ACCEPT');

    for (const dynamicKey of ['0', '1', '2']) {
      const task = await call('POST', '/api/task_runs/', '/task_runs/', {
        flow_run_id: run.id,
        task_key: 'add-1a2b',
        dynamic_key: dynamicKey,
        name: `add-${dynamicKey}`,
        state: { type: 'PENDING' },
      });
      expect(task.status).toBe(201);
      for (const type of ['PENDING', 'RUNNING', 'COMPLETED']) {
        const result = await setTaskState(task.body.id, { type });
        expect(result).toMatchObject({ status: 201, body: { status: 'ACCEPT', state: { type } } });
      }
      const finished = (await call('GET', `/api/task_runs/${String(task.body.id)}`, '/task_runs/{id}')).body;
      expect(finished).toMatchObject({ state_type: 'COMPLETED', run_count: 1, flow_run_run_count: 1 });
    }

    const completed = await setFlowState(run.id, {
      type: 'COMPLETED',
      state_details: { untrackable_result: true, transition_id: transitionId() },
    });
    expect(completed).toMatchObject({
      status: 201,
      body: { status: 'ACCEPT', state: { type: 'COMPLETED' } },
    });

    const final = await readFlowRun(run.id);
    const runningAt = stateOf(running).timestamp;
    const completedAt = stateOf(completed).timestamp;
    expect(final).toMatchObject({
      state_type: 'COMPLETED',
      run_count: 1,
      start_time: runningAt,
      end_time: completedAt,
    });
    expect(final.total_run_time).toBeCloseTo(seconds(runningAt, completedAt), 6);
    expect(final.estimated_run_time).toBe(final.total_run_time);
    expect(
      (
        await call('POST', '/api/task_runs/count', '/task_runs/count', {
          flow_runs: { id: { any_: [run.id] } },
        })
      ).body,
    ).toBe(3);

    // Pending (on create), Running and Completed reached the bus, each with the new state's id.
    const mine = await harness().flowRunEvents(String(run.id), 3);
    expect(mine.map((e) => e.event)).toEqual([
      'prefect.flow-run.Pending',
      'prefect.flow-run.Running',
      'prefect.flow-run.Completed',
    ]);
    expect(mine[1]!.id).toBe(stateOf(running).id);
    expect(mine[2]!.id).toBe(stateOf(completed).id);
    expect(mine[2]).toMatchObject({
      occurred: completedAt,
      follows: stateOf(running).id,
      payload: {
        intended: { from: 'RUNNING', to: 'COMPLETED' },
        validated_state: { type: 'COMPLETED', name: 'Completed' },
      },
    });
    expect((mine[2]!.related as Json[]).map((r) => r['prefect.resource.role'])).toContain('flow');
  });

  it('retries a flow twice (FAILED rejected into AwaitingRetry), then completes with run_count 3', async () => {
    const run = await createFlowRun({ empirical_policy: { retries: 2, retry_delay: 0 } });
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      expect(
        (await setFlowState(run.id, { type: 'RUNNING', state_details: { transition_id: transitionId() } }))
          .body.status,
      ).toBe('ACCEPT');
      const failed = await setFlowState(run.id, {
        type: 'FAILED',
        message: `attempt ${attempt}`,
        state_details: { transition_id: transitionId() },
      });
      expect(failed).toMatchObject({
        status: 201,
        body: {
          status: 'REJECT',
          state: { type: 'SCHEDULED', name: 'AwaitingRetry', message: `attempt ${attempt}` },
        },
      });
      expect((await readFlowRun(run.id)).empirical_policy).toMatchObject({ retry_type: 'in_process' });
    }
    expect(
      (await setFlowState(run.id, { type: 'RUNNING', state_details: { transition_id: transitionId() } })).body
        .status,
    ).toBe('ACCEPT');
    expect(
      (await setFlowState(run.id, { type: 'COMPLETED', state_details: { transition_id: transitionId() } }))
        .body.status,
    ).toBe('ACCEPT');
    const final = await readFlowRun(run.id);
    expect(final).toMatchObject({ state_type: 'COMPLETED', run_count: 3 });
    const states = (
      await call('GET', `/api/flow_run_states/?flow_run_id=${String(run.id)}`, '/flow_run_states/')
    ).body as unknown as Json[];
    expect(states.map((s) => s.name)).toEqual([
      'Pending',
      'Running',
      'AwaitingRetry',
      'Running',
      'AwaitingRetry',
      'Running',
      'Completed',
    ]);
  });

  it('a subflow mirrors its states onto the parent task run (child_flow_run_id)', async () => {
    const parent = await createFlowRun({});
    await setFlowState(parent.id, { type: 'RUNNING' });
    const tracking = (
      await call('POST', '/api/task_runs/', '/task_runs/', {
        flow_run_id: parent.id,
        task_key: 'child-b0edb127',
        dynamic_key: '0',
        name: 'child-0',
        state: { type: 'PENDING' },
        task_inputs: { x: [] },
      })
    ).body;
    const child = await createFlowRun({ parent_task_run_id: tracking.id, parameters: { x: 2 } });
    expect((child.state as Json & { state_details: Json }).state_details).toMatchObject({
      task_run_id: tracking.id,
      flow_run_id: child.id,
    });
    const found = await call('POST', '/api/flow_runs/filter', '/flow_runs/filter', {
      flow_runs: { parent_task_run_id: { any_: [tracking.id] } },
      sort: 'EXPECTED_START_TIME_DESC',
      limit: 1,
    });
    expect((found.body as unknown as Json[]).map((r) => r.id)).toEqual([child.id]);

    await setFlowState(child.id, { type: 'RUNNING' });
    let task = (await call('GET', `/api/task_runs/${String(tracking.id)}`, '/task_runs/{id}')).body;
    expect(task).toMatchObject({
      state_type: 'RUNNING',
      state: { state_details: { child_flow_run_id: child.id, task_run_id: tracking.id } },
    });
    const done = await setFlowState(child.id, { type: 'COMPLETED' });
    expect(stateOf(done).state_details.task_run_id).toBe(tracking.id);
    task = (await call('GET', `/api/task_runs/${String(tracking.id)}`, '/task_runs/{id}')).body;
    expect(task).toMatchObject({
      state_type: 'COMPLETED',
      state: { type: 'COMPLETED', state_details: { child_flow_run_id: child.id } },
    });
    expect(task.end_time).not.toBeNull();
  });

  it('pauses with a run-input keyset and resumes only with valid input, which is stored', async () => {
    const run = await createFlowRun({});
    await setFlowState(run.id, { type: 'RUNNING' });
    const schema = { type: 'object', properties: { age: { type: 'integer' } }, required: ['age'] };
    const inputUrl = `/api/flow_runs/${String(run.id)}/input`;
    expect(
      (
        await call('POST', inputUrl, '/flow_runs/{id}/input', {
          key: 'paused-1-schema',
          value: JSON.stringify(schema),
        })
      ).status,
    ).toBe(201);
    const paused = await setFlowState(run.id, {
      type: 'PAUSED',
      state_details: {
        pause_key: 'paused-1',
        pause_timeout: Instant.now().plusSeconds(3600).toISOString(),
        run_input_keyset: {
          description: 'paused-1-description',
          response: 'paused-1-response',
          schema: 'paused-1-schema',
        },
      },
    });
    expect(paused.body.status).toBe('ACCEPT');
    const resumeUrl = `/api/flow_runs/${String(run.id)}/resume`;
    const refused = await call('POST', resumeUrl, '/flow_runs/{id}/resume', { run_input: { age: 'old' } });
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({
      status: 'REJECT',
      state: { id: stateOf(paused).id },
      details: { type: 'abort_details' },
    });
    expect(String((refused.body.details as Json).reason)).toMatch(/^Reason: /);
    const resumed = await call('POST', resumeUrl, '/flow_runs/{id}/resume', {
      run_input: { age: { __prefect_kind: 'json', value: '42' } },
    });
    expect(resumed).toMatchObject({ status: 201, body: { status: 'ACCEPT', state: { type: 'RUNNING' } } });
    const stored = await call('GET', `${inputUrl}/paused-1-response`, '/flow_runs/{id}/input/{key}');
    expect(stored.body).toEqual({ age: 42 });
    expect((await readFlowRun(run.id)).empirical_policy).toMatchObject({ pause_keys: ['paused-1'] });
    const notPaused = await call('POST', resumeUrl, '/flow_runs/{id}/resume', {});
    expect(notPaused).toEqual({
      status: 200,
      body: {
        state: null,
        status: 'ABORT',
        details: { type: 'abort_details', reason: 'Cannot resume a flow run that is not paused.' },
      },
    });
  });

  it('cancels a SCHEDULED run without infrastructure straight to Cancelled', async () => {
    const run = await createFlowRun({ state: { type: 'SCHEDULED' } });
    const cancelling = await setFlowState(run.id, { type: 'CANCELLING' });
    expect(cancelling).toMatchObject({
      status: 201,
      body: { status: 'REJECT', state: { type: 'CANCELLED', name: 'Cancelled' } },
    });
    expect(await readFlowRun(run.id)).toMatchObject({
      state_type: 'CANCELLED',
      next_scheduled_start_time: null,
    });
    expect((await readFlowRun(run.id)).end_time).not.toBeNull();
  });

  it('rejects a duplicate transition_id and aborts a second PENDING claim', async () => {
    const run = await createFlowRun({ state: { type: 'SCHEDULED' } });
    const claim = await setFlowState(run.id, { type: 'PENDING' });
    expect(claim).toMatchObject({ status: 201, body: { status: 'ACCEPT', state: { type: 'PENDING' } } });
    const second = await setFlowState(run.id, { type: 'PENDING' });
    expect(second).toEqual({
      status: 200,
      body: {
        status: 'ABORT',
        details: {
          type: 'abort_details',
          reason: 'This run is in a PENDING state and cannot transition to a PENDING state.',
        },
        state: claim.body.state,
      },
    });
    const transition = transitionId();
    const first = await setFlowState(run.id, {
      type: 'RUNNING',
      state_details: { transition_id: transition },
    });
    expect(first.body.status).toBe('ACCEPT');
    const duplicate = await setFlowState(run.id, {
      type: 'RUNNING',
      state_details: { transition_id: transition },
    });
    expect(duplicate).toEqual({
      status: 200,
      body: {
        status: 'REJECT',
        details: { type: 'reject_details', reason: 'This run has already made this state transition.' },
        state: first.body.state,
      },
    });
    expect((await readFlowRun(run.id)).run_count).toBe(1);
  });

  it('lets exactly one of several concurrent PENDING claims through (row lock), as two workers racing', async () => {
    const run = await createFlowRun({ state: { type: 'SCHEDULED' } });
    const claims = await Promise.all(
      [1, 2, 3, 4].map(() =>
        setFlowState(run.id, { type: 'PENDING', state_details: { transition_id: transitionId() } }),
      ),
    );
    expect(claims.map((c) => c.body.status).sort()).toEqual(['ABORT', 'ABORT', 'ABORT', 'ACCEPT']);
    expect(claims.filter((c) => c.status === 201)).toHaveLength(1);
    const states = (
      await call('GET', `/api/flow_run_states/?flow_run_id=${String(run.id)}`, '/flow_run_states/')
    ).body as unknown as Json[];
    expect(states.map((s) => s.type)).toEqual(['SCHEDULED', 'PENDING']);
  });

  it('creates one run for racing creates with the same idempotency key, and one task run for the same keys', async () => {
    const creates = await Promise.all(
      [1, 2, 3, 4, 5].map(() =>
        call('POST', '/api/flow_runs/', '/flow_runs/', { flow_id: flowId, idempotency_key: 'race' }),
      ),
    );
    expect(creates.map((c) => c.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(creates.map((c) => c.body.id)).size).toBe(1);
    const run = creates[0]!.body;
    const tasks = await Promise.all(
      [1, 2, 3].map(() =>
        call('POST', '/api/task_runs/', '/task_runs/', {
          flow_run_id: run.id,
          task_key: 't',
          dynamic_key: '0',
        }),
      ),
    );
    expect(tasks.map((c) => c.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(tasks.map((c) => c.body.id)).size).toBe(1);
  });
}
