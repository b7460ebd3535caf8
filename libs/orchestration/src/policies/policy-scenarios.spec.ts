import { defaultFlowRunPolicy, defaultTaskRunPolicy, type State, type StateCreate } from '@orrery/domain';
import { orchestrate } from '../engine/orchestrate';
import type { OrchestrationPolicy } from '../engine/orchestration.policy';
import type { OrchestrationResult } from '../engine/orchestration-result';
import type { RunKind, RunSnapshotOf } from '../engine/run-snapshot';
import { InMemoryOrchestrationPorts } from '../testing/in-memory-orchestration.ports';
import { flowRunFixture, stateFixture, taskRunFixture } from '../testing/run-fixtures';
import { MARK_LATE_RUNS_POLICY } from './mark-late-runs.policy';

/**
 * Whole-policy scenarios: a run goes through several transitions the way the API would drive it,
 * the repository role played by applying `runChanges` and adopting the answered state.
 */
class RunUnderTest<K extends RunKind> {
  state: State | null = null;

  constructor(
    readonly kind: K,
    public run: RunSnapshotOf[K],
    readonly ports: InMemoryOrchestrationPorts,
  ) {}

  async propose(
    proposed: StateCreate,
    options: { force?: boolean; policy?: OrchestrationPolicy<K>; clientVersion?: string } = {},
  ): Promise<OrchestrationResult<K>> {
    const result = await orchestrate<K>({
      kind: this.kind,
      run: this.run,
      initialState: this.state,
      proposed,
      force: options.force ?? false,
      params: { apiVersion: [0, 8, 4], clientVersion: options.clientVersion ?? '3.8.4' },
      ports: this.ports,
      ...(options.policy === undefined ? {} : { policy: options.policy }),
    });
    this.run = { ...this.run, ...result.runChanges };
    this.state = result.state;
    return result;
  }
}

function flowRun(overrides: Partial<RunSnapshotOf['flow']> = {}, ports = new InMemoryOrchestrationPorts()) {
  return new RunUnderTest('flow', flowRunFixture(overrides), ports);
}

function taskRun(overrides: Partial<RunSnapshotOf['task']> = {}, ports = new InMemoryOrchestrationPorts()) {
  const flowRunId = flowRunFixture().id;
  ports.enclosingFlowRuns.set(flowRunId, {
    id: flowRunId,
    runCount: 1,
    state: stateFixture({ type: 'RUNNING' }),
  });
  return new RunUnderTest('task', taskRunFixture(overrides), ports);
}

describe('ad-hoc flow run: PENDING (forced, on create) → RUNNING → COMPLETED', () => {
  it('counts the run and sets start, end and total run time', async () => {
    const fr = flowRun();
    const created = await fr.propose({ type: 'PENDING' }, { force: true });
    expect(created.status).toBe('ACCEPT');
    const startAt = fr.ports.time;
    const running = await fr.propose({ type: 'RUNNING' });
    expect(running.status).toBe('ACCEPT');
    expect(fr.run).toMatchObject({ runCount: 1, stateType: 'RUNNING', stateName: 'Running' });
    expect(fr.run.startTime).toBe(running.state?.timestamp);
    // The Pending state was written at the same instant: the Running one is 1 µs later.
    expect(running.state!.timestamp.epochMicros - startAt.epochMicros).toBe(1);
    fr.ports.advance(42.25);
    const done = await fr.propose({
      type: 'COMPLETED',
      data: { storage_key: 'r', serializer: { type: 'json' } },
    });
    expect(done.status).toBe('ACCEPT');
    expect(fr.run.endTime?.equals(fr.ports.time)).toBe(true);
    expect(fr.run.totalRunTime).toBeCloseTo(42.25 - 0.000001, 6);
    expect(fr.run.runCount).toBe(1);
    expect(fr.ports.emitted.map((e) => e.event)).toEqual([
      'prefect.flow-run.Pending',
      'prefect.flow-run.Running',
      'prefect.flow-run.Completed',
    ]);
    // A COMPLETED run with a persisted result cannot be rerun.
    const rerun = await fr.propose({ type: 'RUNNING' });
    expect(rerun.status).toBe('REJECT');
  });
});

describe('flow retries', () => {
  it('FAILED becomes AwaitingRetry (in_process), RUNNING waits for the retry time, then runs again', async () => {
    const fr = flowRun({ empiricalPolicy: { ...defaultFlowRunPolicy(), retries: 1, retryDelay: 30 } });
    await fr.propose({ type: 'PENDING' }, { force: true });
    await fr.propose({ type: 'RUNNING' });
    const failed = await fr.propose({ type: 'FAILED', message: 'boom' });
    expect(failed.status).toBe('REJECT');
    expect(failed.state).toMatchObject({ type: 'SCHEDULED', name: 'AwaitingRetry', message: 'boom' });
    expect(fr.run.empiricalPolicy.retryType).toBe('in_process');
    expect(fr.run.nextScheduledStartTime?.secondsSince(fr.ports.time)).toBe(30);

    const early = await fr.propose({ type: 'RUNNING' });
    expect(early.status).toBe('WAIT');
    expect(early.details).toEqual({
      type: 'wait_details',
      delaySeconds: 30,
      reason: 'Scheduled time is in the future',
    });

    fr.ports.advance(30);
    const retry = await fr.propose({ type: 'RUNNING' });
    expect(retry.status).toBe('ACCEPT');
    expect(retry.state?.name).toBe('Running'); // flows are not renamed
    expect(fr.run.runCount).toBe(2);
    expect(fr.run.nextScheduledStartTime).toBeNull();

    const final = await fr.propose({ type: 'FAILED' });
    expect(final.status).toBe('ACCEPT');
    expect(fr.run.empiricalPolicy.retryType).toBeNull();
  });
});

describe('task retries', () => {
  it('a retried task is renamed Retrying', async () => {
    const tr = taskRun({ empiricalPolicy: { ...defaultTaskRunPolicy(), retries: 1, retryDelay: 0 } });
    await tr.propose({ type: 'PENDING' }, { force: true });
    expect((await tr.propose({ type: 'RUNNING' })).status).toBe('ACCEPT');
    const failed = await tr.propose({ type: 'FAILED' });
    expect(failed.state?.name).toBe('AwaitingRetry');
    const retry = await tr.propose({ type: 'RUNNING' });
    expect(retry.status).toBe('ACCEPT');
    expect(retry.state?.name).toBe('Retrying');
    expect(tr.run.runCount).toBe(2);
    expect(tr.run.flowRunRunCount).toBe(1);
  });
});

describe('claiming a scheduled deployment run', () => {
  it('admits one PENDING claim and aborts the second', async () => {
    const ports = new InMemoryOrchestrationPorts();
    ports.addDeployment('dep-1');
    const fr = flowRun({ deploymentId: 'dep-1' }, ports);
    await fr.propose({ type: 'SCHEDULED' }, { force: true });
    expect((await fr.propose({ type: 'PENDING' })).status).toBe('ACCEPT');
    const second = await fr.propose({ type: 'PENDING' });
    expect(second.status).toBe('ABORT');
    expect(second.details).toEqual({
      type: 'abort_details',
      reason: 'This run is in a PENDING state and cannot transition to a PENDING state.',
    });
    expect((await fr.propose({ type: 'PENDING', name: 'Submitting' })).status).toBe('ACCEPT');
  });

  it('holds a deployment slot from claim to completion', async () => {
    const ports = new InMemoryOrchestrationPorts();
    const limitId = ports.addDeployment('dep-1', 1)!;
    const fr = flowRun({ deploymentId: 'dep-1' }, ports);
    const other = flowRun({ id: '55555555-5555-7555-8555-555555555555', deploymentId: 'dep-1' }, ports);
    await fr.propose({ type: 'SCHEDULED' }, { force: true });
    await other.propose({ type: 'SCHEDULED' }, { force: true });

    const claimed = await fr.propose({ type: 'PENDING' });
    expect(claimed.state?.stateDetails.deploymentConcurrencyLeaseId).not.toBeNull();
    expect(ports.limits.get(limitId)?.activeSlots).toBe(1);
    const blocked = await other.propose({ type: 'PENDING' });
    expect(blocked.state?.name).toBe('AwaitingConcurrencySlot');

    await fr.propose({ type: 'RUNNING' });
    expect(fr.state?.stateDetails.deploymentConcurrencyLeaseId).toBe(
      claimed.state?.stateDetails.deploymentConcurrencyLeaseId,
    );
    await fr.propose({ type: 'COMPLETED' });
    expect(ports.limits.get(limitId)?.activeSlots).toBe(0);
    expect(ports.leaseRows.size).toBe(0);

    ports.advance(30);
    expect((await other.propose({ type: 'PENDING' })).status).toBe('ACCEPT');
  });
});

describe('duplicate transitions', () => {
  it('rejects a retried set_state with the same transition id, answering the current state', async () => {
    const fr = flowRun();
    await fr.propose({ type: 'PENDING' }, { force: true });
    const first = await fr.propose({ type: 'RUNNING', stateDetails: { transitionId: 't-1' } });
    const again = await fr.propose({ type: 'RUNNING', stateDetails: { transitionId: 't-1' } });
    expect(again.status).toBe('REJECT');
    expect(again.state?.id).toBe(first.state?.id);
    expect(fr.run.runCount).toBe(1);
  });
});

describe('cancelling', () => {
  it('SCHEDULED → CANCELLING without infrastructure is rejected into Cancelled', async () => {
    const fr = flowRun();
    await fr.propose({ type: 'SCHEDULED' }, { force: true });
    const result = await fr.propose({ type: 'CANCELLING' });
    expect(result.status).toBe('REJECT');
    expect(result.state?.type).toBe('CANCELLED');
    expect(fr.run.stateType).toBe('CANCELLED');
    expect(fr.run.endTime).not.toBeNull();
  });

  it('also when forced (MinimalFlowPolicy keeps the bypass)', async () => {
    const fr = flowRun();
    await fr.propose({ type: 'SCHEDULED' }, { force: true });
    const result = await fr.propose({ type: 'CANCELLING' }, { force: true });
    expect(result.state?.type).toBe('CANCELLED');
  });
});

describe('pause and resume', () => {
  it('pauses a running flow once per key, resumes it, and clears resuming when it ends', async () => {
    const fr = flowRun();
    await fr.propose({ type: 'PENDING' }, { force: true });
    await fr.propose({ type: 'RUNNING' });
    const paused = await fr.propose({
      type: 'PAUSED',
      stateDetails: { pauseKey: 'p1', pauseTimeout: fr.ports.time.plusSeconds(3600) },
    });
    expect(paused.status).toBe('ACCEPT');
    expect(fr.run.empiricalPolicy.pauseKeys).toEqual(['p1']);

    const resumed = await fr.propose({ type: 'RUNNING' });
    expect(resumed.status).toBe('ACCEPT');
    expect(fr.run.empiricalPolicy.resuming).toBe(true);

    const pausedAgain = await fr.propose({ type: 'PAUSED', stateDetails: { pauseKey: 'p1' } });
    expect(pausedAgain.status).toBe('REJECT');
    expect(pausedAgain.details).toEqual({ type: 'reject_details', reason: 'This pause has already fired.' });

    await fr.propose({ type: 'COMPLETED' });
    expect(fr.run.empiricalPolicy.resuming).toBe(false);
  });

  it('suspends a deployment run, resumes it through Scheduled "Resuming" without counting a new run', async () => {
    const ports = new InMemoryOrchestrationPorts();
    ports.addDeployment('dep-1');
    const fr = flowRun({ deploymentId: 'dep-1' }, ports);
    await fr.propose({ type: 'SCHEDULED' }, { force: true });
    await fr.propose({ type: 'PENDING' });
    await fr.propose({ type: 'RUNNING' });
    expect(fr.run.runCount).toBe(1);
    const suspended = await fr.propose({
      type: 'PAUSED',
      name: 'Suspended',
      stateDetails: { pauseReschedule: true, pauseKey: 's1' },
    });
    expect(suspended.status).toBe('ACCEPT');

    // POST /flow_runs/{id}/resume on a suspended run proposes Scheduled "Resuming" (now).
    const resuming = await fr.propose({ type: 'SCHEDULED', name: 'Resuming' });
    expect(resuming.status).toBe('ACCEPT');
    expect(fr.run.empiricalPolicy.resuming).toBe(true);

    await fr.propose({ type: 'PENDING' });
    const running = await fr.propose({ type: 'RUNNING' });
    expect(running.status).toBe('ACCEPT');
    expect(fr.run.runCount).toBe(1);
    expect(fr.run.empiricalPolicy.resuming).toBe(false);
  });

  it('a task of a paused flow is told NotReady', async () => {
    const ports = new InMemoryOrchestrationPorts();
    const tr = taskRun({}, ports);
    const flowRunId = tr.run.flowRunId!;
    ports.enclosingFlowRuns.set(flowRunId, {
      id: flowRunId,
      runCount: 1,
      state: stateFixture({ type: 'PAUSED' }),
    });
    await tr.propose({ type: 'PENDING' }, { force: true });
    const result = await tr.propose({ type: 'RUNNING' });
    expect(result.state).toMatchObject({ type: 'PAUSED', name: 'NotReady' });
  });
});

describe('late runs (MarkLateRunsPolicy)', () => {
  it('marks only Scheduled runs Late, once, and announces it', async () => {
    const fr = flowRun();
    await fr.propose({ type: 'SCHEDULED' }, { force: true });
    const late = await fr.propose({ type: 'SCHEDULED', name: 'Late' }, { policy: MARK_LATE_RUNS_POLICY });
    expect(late.status).toBe('ACCEPT');
    expect(fr.run.stateName).toBe('Late');
    expect(fr.ports.emitted.at(-1)?.event).toBe('prefect.flow-run.Late');
    const again = await fr.propose({ type: 'SCHEDULED', name: 'Late' }, { policy: MARK_LATE_RUNS_POLICY });
    expect(again.status).toBe('REJECT');

    const running = flowRun({ id: '66666666-6666-7666-8666-666666666666' });
    await running.propose({ type: 'RUNNING' }, { force: true });
    const notScheduled = await running.propose(
      { type: 'SCHEDULED', name: 'Late' },
      { policy: MARK_LATE_RUNS_POLICY },
    );
    expect(notScheduled.details).toEqual({
      type: 'reject_details',
      reason: 'Only scheduled flows can be marked late.',
    });
  });
});

describe('task cache', () => {
  it('a cache hit answers Cached instead of running', async () => {
    const ports = new InMemoryOrchestrationPorts();
    const first = taskRun({}, ports);
    await first.propose({ type: 'PENDING' }, { force: true });
    await first.propose({ type: 'RUNNING', stateDetails: { cacheKey: 'k' } });
    await first.propose({ type: 'COMPLETED', data: { storage_key: 'x' }, stateDetails: { cacheKey: 'k' } });
    expect(ports.cacheEntries).toHaveLength(1);

    const second = taskRun({ id: '77777777-7777-7777-8777-777777777777', dynamicKey: '1' }, ports);
    await second.propose({ type: 'PENDING' }, { force: true });
    const hit = await second.propose({ type: 'RUNNING', stateDetails: { cacheKey: 'k' } });
    expect(hit.status).toBe('REJECT');
    expect(hit.state).toMatchObject({ type: 'COMPLETED', name: 'Cached', data: { storage_key: 'x' } });
    expect(second.run.runCount).toBe(0);
  });
});

describe('subflows', () => {
  it('each subflow state is mirrored onto its parent task run with child_flow_run_id', async () => {
    const parent = '88888888-8888-7888-8888-888888888888';
    const fr = flowRun({ parentTaskRunId: parent });
    await fr.propose({ type: 'PENDING' }, { force: true });
    await fr.propose({ type: 'RUNNING' });
    expect(
      fr.ports.parentTaskRunStates.map((p) => [
        p.taskRunId,
        p.state.type,
        p.state.stateDetails.childFlowRunId,
      ]),
    ).toEqual([
      [parent, 'PENDING', fr.run.id],
      [parent, 'RUNNING', fr.run.id],
    ]);
    expect(fr.state?.stateDetails.taskRunId).toBe(parent);
  });
});

describe('background (deferred) tasks', () => {
  it('are enqueued when scheduled, even when forced', async () => {
    const tr = taskRun({ flowRunId: null });
    await tr.propose({ type: 'SCHEDULED', stateDetails: { deferred: true } }, { force: true });
    expect(tr.ports.enqueued).toHaveLength(1);
    const claimed = await tr.propose({ type: 'PENDING', stateDetails: { deferred: true } });
    expect(claimed.status).toBe('ACCEPT');
    const again = await tr.propose({ type: 'PENDING', stateDetails: { deferred: true } });
    expect(again.status).toBe('ABORT');
  });
});
