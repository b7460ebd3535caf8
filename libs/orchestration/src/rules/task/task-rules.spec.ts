import { defaultTaskRunPolicy } from '@orrery/domain';
import type { RuleClass } from '../../engine/orchestration.policy';
import { OrchestrationObjectNotFoundError } from '../../engine/object-not-found.error';
import { OrchestrationRule } from '../../engine/orchestration.rule';
import type { RuleContext } from '../../engine/rule.context';
import { ANY_STATE, only } from '../../engine/state-sets';
import { InMemoryOrchestrationPorts } from '../../testing/in-memory-orchestration.ports';
import { orchestrateTask } from '../../testing/orchestrate.harness';
import { flowRunFixture, stateFixture } from '../../testing/run-fixtures';
import { RenameRerunsRule } from '../shared/rename-reruns.rule';
import { CacheInsertionRule } from './cache-insertion.rule';
import { CacheRetrievalRule } from './cache-retrieval.rule';
import { CopyTaskParametersIdRule } from './copy-task-parameters-id.rule';
import { EnqueueScheduledTasksRule } from './enqueue-scheduled-tasks.rule';
import { HandleTaskTerminalStateTransitionsRule } from './handle-task-terminal-state-transitions.rule';
import { PreventRunningTasksFromStoppedFlowsRule } from './prevent-running-tasks-from-stopped-flows.rule';
import { ReleaseTaskConcurrencySlotsTransform } from './release-task-concurrency-slots.transform';
import { RetryFailedTasksRule } from './retry-failed-tasks.rule';
import { SecureTaskConcurrencySlotsRule } from './secure-task-concurrency-slots.rule';
import { UpdateFlowRunTrackerOnTasksRule } from './update-flow-run-tracker-on-tasks.rule';

const FLOW_RUN_ID = flowRunFixture().id;
const PERSISTED = { storage_key: 'k', serializer: { type: 'json' } };

/** Rejects any → RUNNING into a CANCELLED state, to make earlier rules clean up. */
const LaterRejecter: RuleClass<'task'> = class extends OrchestrationRule<'task'> {
  readonly name = 'LaterRejecter';
  readonly fromStates = ANY_STATE;
  readonly toStates = only('RUNNING');
  override before(ctx: RuleContext<'task'>): void {
    ctx.reject(ctx.newState({ type: 'CANCELLED' }), 'later');
  }
};

function portsWithRunningFlow(runCount = 1): InMemoryOrchestrationPorts {
  const ports = new InMemoryOrchestrationPorts();
  ports.enclosingFlowRuns.set(FLOW_RUN_ID, {
    id: FLOW_RUN_ID,
    runCount,
    state: stateFixture({ type: 'RUNNING' }),
  });
  return ports;
}

describe('CacheRetrieval', () => {
  async function cachedPorts(expiresInSeconds: number | null) {
    const ports = new InMemoryOrchestrationPorts();
    const cached = stateFixture({ type: 'COMPLETED', data: PERSISTED, stateDetails: { cacheKey: 'key-1' } });
    ports.writtenStates.set('other-task-run', [cached]);
    await ports.taskCache.insertCacheEntry({
      cacheKey: 'key-1',
      cacheExpiration: expiresInSeconds === null ? null : ports.time.plusSeconds(expiresInSeconds),
      taskRunStateId: cached.id,
    });
    return { ports, cached };
  }

  it('answers a live cache hit with a fresh copy of the cached state named Cached', async () => {
    const { ports, cached } = await cachedPorts(60);
    const { result } = await orchestrateTask({
      ports,
      policy: [CacheRetrievalRule],
      initial: { type: 'PENDING' },
      proposed: { type: 'RUNNING', stateDetails: { cacheKey: 'key-1' } },
    });
    expect(result.status).toBe('REJECT');
    expect(result.details).toEqual({ type: 'reject_details', reason: 'Retrieved state from cache' });
    expect(result.state).toMatchObject({ type: 'COMPLETED', name: 'Cached', data: PERSISTED });
    expect(result.state?.id).not.toBe(cached.id);
    expect(result.state?.timestamp.equals(ports.time)).toBe(true);
  });

  it('ignores expired entries, refresh_cache and proposals without a key', async () => {
    const expired = await cachedPorts(-1);
    const miss = await orchestrateTask({
      ports: expired.ports,
      policy: [CacheRetrievalRule],
      initial: { type: 'PENDING' },
      proposed: { type: 'RUNNING', stateDetails: { cacheKey: 'key-1' } },
    });
    expect(miss.result.status).toBe('ACCEPT');
    const live = await cachedPorts(null);
    const refresh = await orchestrateTask({
      ports: live.ports,
      policy: [CacheRetrievalRule],
      initial: { type: 'PENDING' },
      proposed: { type: 'RUNNING', stateDetails: { cacheKey: 'key-1', refreshCache: true } },
    });
    expect(refresh.result.status).toBe('ACCEPT');
    const noKey = await orchestrateTask({
      ports: live.ports,
      policy: [CacheRetrievalRule],
      initial: { type: 'PENDING' },
      proposed: { type: 'RUNNING' },
    });
    expect(noKey.result.status).toBe('ACCEPT');
  });
});

describe('HandleTaskTerminalStateTransitions', () => {
  const rules = [HandleTaskTerminalStateTransitionsRule];

  it.each(['CANCELLING', 'PAUSED', 'CRASHED'] as const)('aborts FAILED → %s', async (type) => {
    const { result } = await orchestrateTask({
      policy: rules,
      initial: { type: 'FAILED' },
      proposed: { type },
    });
    expect(result.details).toEqual({ type: 'abort_details', reason: 'Run is already FAILED.' });
  });

  it('rejects leaving a persisted COMPLETED result', async () => {
    const { result } = await orchestrateTask({
      policy: rules,
      initial: { type: 'COMPLETED', data: PERSISTED },
      proposed: { type: 'RUNNING' },
    });
    expect(result.details).toEqual({ type: 'reject_details', reason: 'This run is already completed.' });
  });

  it('resets the run count for a rerun and names it Retrying when its flow run is retrying', async () => {
    const ports = portsWithRunningFlow(2);
    const { result } = await orchestrateTask({
      ports,
      policy: rules,
      run: { runCount: 3, flowRunRunCount: 1 },
      initial: { type: 'FAILED' },
      proposed: { type: 'RUNNING' },
    });
    expect(result.status).toBe('ACCEPT');
    expect(result.state?.name).toBe('Retrying');
    // Reset to 0, then IncrementTaskRunCount adds this run.
    expect(result.run.runCount).toBe(1);
  });

  it('keeps the name when the flow run is not retrying', async () => {
    const { result } = await orchestrateTask({
      ports: portsWithRunningFlow(1),
      policy: rules,
      run: { runCount: 1, flowRunRunCount: 1 },
      initial: { type: 'COMPLETED' },
      proposed: { type: 'RUNNING' },
    });
    expect(result.state?.name).toBe('Running');
  });

  it('restores the run count when a later rule changes the transition', async () => {
    const { result } = await orchestrateTask({
      ports: portsWithRunningFlow(),
      policy: [HandleTaskTerminalStateTransitionsRule, LaterRejecter],
      run: { runCount: 3 },
      initial: { type: 'FAILED' },
      proposed: { type: 'RUNNING' },
    });
    expect(result.state?.type).toBe('CANCELLED');
    expect(result.run.runCount).toBe(3);
  });
});

describe('PreventRunningTasksFromStoppedFlows', () => {
  const rules = [PreventRunningTasksFromStoppedFlowsRule];

  it('lets a task of a running flow (or with no flow run) start', async () => {
    expect(
      (
        await orchestrateTask({
          ports: portsWithRunningFlow(),
          policy: rules,
          initial: { type: 'PENDING' },
          proposed: { type: 'RUNNING' },
        })
      ).result.status,
    ).toBe('ACCEPT');
    expect(
      (
        await orchestrateTask({
          policy: rules,
          run: { flowRunId: null },
          initial: { type: 'PENDING' },
          proposed: { type: 'RUNNING' },
        })
      ).result.status,
    ).toBe('ACCEPT');
  });

  it('pauses a task of a paused flow as NotReady, carrying the pause timeout', async () => {
    const ports = new InMemoryOrchestrationPorts();
    const pauseTimeout = ports.time.plusSeconds(3600);
    ports.enclosingFlowRuns.set(FLOW_RUN_ID, {
      id: FLOW_RUN_ID,
      runCount: 1,
      state: stateFixture({ type: 'PAUSED', stateDetails: { pauseTimeout, pauseReschedule: true } }),
    });
    const { result } = await orchestrateTask({
      ports,
      policy: rules,
      initial: { type: 'PENDING' },
      proposed: { type: 'RUNNING' },
    });
    expect(result.status).toBe('REJECT');
    expect(result.state).toMatchObject({ type: 'PAUSED', name: 'NotReady' });
    expect(result.state?.stateDetails.pauseTimeout).toBe(pauseTimeout);
    expect(result.state?.stateDetails.pauseReschedule).toBe(true);
    expect(result.details).toEqual({
      type: 'reject_details',
      reason: `The flow is paused, new tasks can execute after resuming flow run: ${FLOW_RUN_ID}.`,
    });
  });

  it('aborts a task whose flow run has no state or is not running', async () => {
    for (const state of [null, stateFixture({ type: 'COMPLETED' })]) {
      const ports = new InMemoryOrchestrationPorts();
      ports.enclosingFlowRuns.set(FLOW_RUN_ID, { id: FLOW_RUN_ID, runCount: 1, state });
      const { result } = await orchestrateTask({
        ports,
        policy: rules,
        initial: { type: 'PENDING' },
        proposed: { type: 'RUNNING' },
      });
      expect(result.details).toEqual({
        type: 'abort_details',
        reason: 'The enclosing flow must be running to begin task execution.',
      });
    }
  });
});

describe('SecureTaskConcurrencySlots', () => {
  const rules = [SecureTaskConcurrencySlotsRule];

  it('takes one slot on every tag limit under one task-run lease', async () => {
    const ports = new InMemoryOrchestrationPorts();
    const a = ports.addLimit('tag:a', 2);
    const b = ports.addLimit('tag:b', 1);
    const { result, run } = await orchestrateTask({
      ports,
      policy: rules,
      run: { tags: ['a', 'b', 'c'] },
      initial: { type: 'PENDING' },
      proposed: { type: 'RUNNING' },
    });
    expect(result.status).toBe('ACCEPT');
    expect(ports.limits.get(a)?.activeSlots).toBe(1);
    expect(ports.limits.get(b)?.activeSlots).toBe(1);
    const leases = [...ports.leaseRows.values()];
    expect(leases).toHaveLength(1);
    expect(leases[0]).toMatchObject({
      resourceIds: [a, b],
      slots: 1,
      holder: { type: 'task_run', id: run.id },
    });
  });

  it('waits with a jittered delay when a limit is full', async () => {
    const ports = new InMemoryOrchestrationPorts();
    ports.randomValue = 0.5;
    const a = ports.addLimit('tag:a', 1, { activeSlots: 1, avgSlotOccupancySeconds: 4 });
    const { result } = await orchestrateTask({
      ports,
      policy: rules,
      run: { tags: ['a'] },
      initial: { type: 'PENDING' },
      proposed: { type: 'RUNNING' },
    });
    expect(result.status).toBe('WAIT');
    expect(result.details).toMatchObject({
      type: 'wait_details',
      reason: 'Concurrency limit reached for tags: a',
    });
    const delay = (result.details as { delaySeconds: number }).delaySeconds;
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(delay).toBeLessThanOrEqual(Math.round(4 * 1.3));
    expect(ports.limits.get(a)?.activeSlots).toBe(1);
  });

  it('aborts on a limit of 0 (it would deadlock)', async () => {
    const ports = new InMemoryOrchestrationPorts();
    ports.addLimit('tag:a', 0);
    const { result } = await orchestrateTask({
      ports,
      policy: rules,
      run: { tags: ['a'] },
      initial: { type: 'PENDING' },
      proposed: { type: 'RUNNING' },
    });
    expect(result.details).toEqual({
      type: 'abort_details',
      reason: 'The concurrency limit on tag "a" is 0 and will deadlock if the task tries to run again.',
    });
  });

  it('ignores inactive v2 limits', async () => {
    const ports = new InMemoryOrchestrationPorts();
    ports.addLimit('tag:a', 0, { active: false });
    const { result } = await orchestrateTask({
      ports,
      policy: rules,
      run: { tags: ['a'] },
      initial: { type: 'PENDING' },
      proposed: { type: 'RUNNING' },
    });
    expect(result.status).toBe('ACCEPT');
  });

  it('uses legacy v1 rows for tags without a v2 limit', async () => {
    const ports = new InMemoryOrchestrationPorts();
    ports.legacyLimits.set('old', { tag: 'old', concurrencyLimit: 1, activeSlots: [] });
    const { result, run } = await orchestrateTask({
      ports,
      policy: rules,
      run: { tags: ['old'] },
      initial: { type: 'PENDING' },
      proposed: { type: 'RUNNING' },
    });
    expect(result.status).toBe('ACCEPT');
    expect(ports.legacyLimits.get('old')?.activeSlots).toEqual([run.id]);
  });

  it('waits 10 s on a full legacy limit and aborts on a legacy limit of 0', async () => {
    const full = new InMemoryOrchestrationPorts();
    full.legacyLimits.set('old', { tag: 'old', concurrencyLimit: 1, activeSlots: ['someone-else'] });
    const waited = await orchestrateTask({
      ports: full,
      policy: rules,
      run: { tags: ['old'] },
      initial: { type: 'PENDING' },
      proposed: { type: 'RUNNING' },
    });
    expect(waited.result.details).toEqual({
      type: 'wait_details',
      delaySeconds: 10,
      reason: 'Concurrency limit for the old tag has been reached',
    });
    const zero = new InMemoryOrchestrationPorts();
    zero.legacyLimits.set('free', { tag: 'free', concurrencyLimit: 5, activeSlots: [] });
    zero.legacyLimits.set('old', { tag: 'old', concurrencyLimit: 0, activeSlots: [] });
    const aborted = await orchestrateTask({
      ports: zero,
      policy: rules,
      run: { tags: ['free', 'old'] },
      initial: { type: 'PENDING' },
      proposed: { type: 'RUNNING' },
    });
    expect(aborted.result.details).toEqual({
      type: 'abort_details',
      reason: 'The concurrency limit on tag "old" is 0 and will deadlock if the task tries to run again.',
    });
    // The slot already taken on "free" was given back.
    expect(zero.legacyLimits.get('free')?.activeSlots).toEqual([]);
  });

  it('gives everything back when a later rule changes the transition', async () => {
    const ports = new InMemoryOrchestrationPorts();
    const a = ports.addLimit('tag:a', 1);
    ports.legacyLimits.set('old', { tag: 'old', concurrencyLimit: 1, activeSlots: [] });
    const { result } = await orchestrateTask({
      ports,
      policy: [SecureTaskConcurrencySlotsRule, LaterRejecter],
      run: { tags: ['a', 'old'] },
      initial: { type: 'PENDING' },
      proposed: { type: 'RUNNING' },
    });
    expect(result.state?.type).toBe('CANCELLED');
    expect(ports.limits.get(a)?.activeSlots).toBe(0);
    expect(ports.leaseRows.size).toBe(0);
    expect(ports.legacyLimits.get('old')?.activeSlots).toEqual([]);
  });
});

describe('ReleaseTaskConcurrencySlots', () => {
  it('releases the leases this task run holds and its legacy slots when it stops running', async () => {
    const ports = new InMemoryOrchestrationPorts();
    const run = { tags: ['a', 'old'] };
    const a = ports.addLimit('tag:a', 2);
    ports.legacyLimits.set('old', { tag: 'old', concurrencyLimit: 2, activeSlots: [] });
    const started = await orchestrateTask({
      ports,
      policy: [SecureTaskConcurrencySlotsRule],
      run,
      initial: { type: 'PENDING' },
      proposed: { type: 'RUNNING' },
    });
    const other = await ports.leases.createLease({
      resourceIds: [a],
      ttlSeconds: 60,
      slots: 1,
      holder: { type: 'task_run', id: 'other' },
    });
    ports.limits.get(a)!.activeSlots += 1;
    expect(ports.limits.get(a)?.activeSlots).toBe(2);
    await orchestrateTask({
      ports,
      force: true,
      run: { ...run, runCount: started.result.run.runCount },
      initial: started.result.state,
      proposed: { type: 'COMPLETED' },
    });
    expect(ports.limits.get(a)?.activeSlots).toBe(1);
    expect([...ports.leaseRows.keys()]).toEqual([other.id]);
    expect(ports.legacyLimits.get('old')?.activeSlots).toEqual([]);
  });

  it('keeps slots while RUNNING or CANCELLING', async () => {
    const ports = new InMemoryOrchestrationPorts();
    const a = ports.addLimit('tag:a', 2, { activeSlots: 1 });
    await ports.leases.createLease({
      resourceIds: [a],
      ttlSeconds: 60,
      slots: 1,
      holder: { type: 'task_run', id: '33333333-3333-7333-8333-333333333333' },
    });
    await orchestrateTask({
      ports,
      policy: [ReleaseTaskConcurrencySlotsTransform],
      run: { tags: ['a'] },
      initial: { type: 'RUNNING' },
      proposed: { type: 'CANCELLING' },
    });
    expect(ports.limits.get(a)?.activeSlots).toBe(1);
    expect(ports.leaseRows.size).toBe(1);
  });
});

describe('RetryFailedTasks', () => {
  const rules = [RetryFailedTasksRule];

  it('rejects into AwaitingRetry after the configured delay while retries remain', async () => {
    const ports = new InMemoryOrchestrationPorts();
    const { result } = await orchestrateTask({
      ports,
      policy: rules,
      run: { runCount: 1, empiricalPolicy: { ...defaultTaskRunPolicy(), retries: 2, retryDelay: 15 } },
      initial: { type: 'RUNNING' },
      proposed: { type: 'FAILED', message: 'boom' },
    });
    expect(result.status).toBe('REJECT');
    expect(result.details).toEqual({ type: 'reject_details', reason: 'Retrying' });
    expect(result.state).toMatchObject({ type: 'SCHEDULED', name: 'AwaitingRetry', message: 'boom' });
    expect(result.state?.stateDetails.scheduledTime?.secondsSince(ports.time)).toBe(15);
  });

  it('picks the n-th delay of a list (the last one once exhausted)', async () => {
    for (const [runCount, expected] of [
      [1, 1],
      [2, 5],
      [3, 30],
      [4, 30],
    ] as const) {
      const ports = new InMemoryOrchestrationPorts();
      const { result } = await orchestrateTask({
        ports,
        policy: rules,
        run: { runCount, empiricalPolicy: { ...defaultTaskRunPolicy(), retries: 5, retryDelay: [1, 5, 30] } },
        initial: { type: 'RUNNING' },
        proposed: { type: 'FAILED' },
      });
      expect(result.state?.stateDetails.scheduledTime?.secondsSince(ports.time)).toBe(expected);
    }
  });

  it('jitters the delay within the clamp', async () => {
    const ports = new InMemoryOrchestrationPorts();
    ports.randomValue = 0.999;
    const { result } = await orchestrateTask({
      ports,
      policy: rules,
      run: {
        runCount: 1,
        empiricalPolicy: { ...defaultTaskRunPolicy(), retries: 1, retryDelay: 10, retryJitterFactor: 0.5 },
      },
      initial: { type: 'RUNNING' },
      proposed: { type: 'FAILED' },
    });
    const delay = result.state!.stateDetails.scheduledTime!.secondsSince(ports.time);
    expect(delay).toBeGreaterThan(10);
    expect(delay).toBeLessThanOrEqual(15);
  });

  it('allows FAILED when out of retries or not retriable', async () => {
    const out = await orchestrateTask({
      policy: rules,
      run: { runCount: 3, empiricalPolicy: { ...defaultTaskRunPolicy(), retries: 2 } },
      initial: { type: 'RUNNING' },
      proposed: { type: 'FAILED' },
    });
    expect(out.result.status).toBe('ACCEPT');
    const notRetriable = await orchestrateTask({
      policy: rules,
      run: { runCount: 1, empiricalPolicy: { ...defaultTaskRunPolicy(), retries: 2 } },
      initial: { type: 'RUNNING' },
      proposed: { type: 'FAILED', stateDetails: { retriable: false } },
    });
    expect(notRetriable.result.status).toBe('ACCEPT');
  });
});

describe('RenameReruns', () => {
  it('names a rerun Retrying after AwaitingRetry and Rerunning otherwise', async () => {
    const retry = await orchestrateTask({
      policy: [RenameRerunsRule],
      run: { runCount: 1 },
      initial: { type: 'SCHEDULED', name: 'AwaitingRetry' },
      proposed: { type: 'RUNNING' },
    });
    expect(retry.result.state?.name).toBe('Retrying');
    const rerun = await orchestrateTask({
      policy: [RenameRerunsRule],
      run: { runCount: 1 },
      initial: { type: 'PENDING' },
      proposed: { type: 'RUNNING' },
    });
    expect(rerun.result.state?.name).toBe('Rerunning');
    const first = await orchestrateTask({
      policy: [RenameRerunsRule],
      initial: { type: 'PENDING' },
      proposed: { type: 'RUNNING' },
    });
    expect(first.result.state?.name).toBe('Running');
  });
});

describe('UpdateFlowRunTrackerOnTasks', () => {
  it("records the flow run's run count", async () => {
    const { result } = await orchestrateTask({
      ports: portsWithRunningFlow(3),
      policy: [UpdateFlowRunTrackerOnTasksRule],
      initial: { type: 'PENDING' },
      proposed: { type: 'RUNNING' },
    });
    expect(result.runChanges.flowRunRunCount).toBe(3);
  });

  it('throws not-found (API 404) when the flow run has vanished', async () => {
    await expect(
      orchestrateTask({
        policy: [UpdateFlowRunTrackerOnTasksRule],
        initial: { type: 'PENDING' },
        proposed: { type: 'RUNNING' },
      }),
    ).rejects.toBeInstanceOf(OrchestrationObjectNotFoundError);
  });
});

describe('CacheInsertion', () => {
  it('records a cache entry for a completed state with a key', async () => {
    const ports = new InMemoryOrchestrationPorts();
    const expiration = ports.time.plusSeconds(3600);
    const { result } = await orchestrateTask({
      ports,
      policy: [CacheInsertionRule],
      initial: { type: 'RUNNING' },
      proposed: { type: 'COMPLETED', stateDetails: { cacheKey: 'key-1', cacheExpiration: expiration } },
    });
    expect(ports.cacheEntries).toEqual([
      { cacheKey: 'key-1', cacheExpiration: expiration, taskRunStateId: result.state?.id },
    ]);
  });

  it('refuses an over-long key (rejecting with the proposed state itself)', async () => {
    const ports = new InMemoryOrchestrationPorts();
    const { result } = await orchestrateTask({
      ports,
      policy: [CacheInsertionRule],
      initial: { type: 'RUNNING' },
      proposed: { type: 'COMPLETED', stateDetails: { cacheKey: 'x'.repeat(2001) } },
    });
    expect(result.status).toBe('REJECT');
    expect(result.details).toEqual({
      type: 'reject_details',
      reason: 'Cache key exceeded maximum allowed length of 2000 characters.',
    });
    expect(result.state?.type).toBe('COMPLETED');
    expect(result.newState?.id).toBe(result.state?.id);
    expect(ports.cacheEntries).toEqual([]);
  });
});

describe('CopyTaskParametersID and EnqueueScheduledTasks', () => {
  it('carries task_parameters_id forward', async () => {
    const { result } = await orchestrateTask({
      policy: [CopyTaskParametersIdRule],
      initial: { type: 'SCHEDULED', stateDetails: { taskParametersId: 'params-1' } },
      proposed: { type: 'PENDING' },
    });
    expect(result.state?.stateDetails.taskParametersId).toBe('params-1');
  });

  it('enqueues deferred scheduled tasks, on the retry queue for AwaitingRetry', async () => {
    const ports = new InMemoryOrchestrationPorts();
    await orchestrateTask({
      ports,
      policy: [EnqueueScheduledTasksRule],
      initial: null,
      proposed: { type: 'SCHEDULED', stateDetails: { deferred: true } },
    });
    await orchestrateTask({
      ports,
      policy: [EnqueueScheduledTasksRule],
      initial: { type: 'RUNNING' },
      proposed: { type: 'SCHEDULED', name: 'AwaitingRetry', stateDetails: { deferred: true } },
    });
    await orchestrateTask({
      ports,
      policy: [EnqueueScheduledTasksRule],
      initial: null,
      proposed: { type: 'SCHEDULED' },
    });
    expect(ports.enqueued.map((e) => e.retry)).toEqual([false, true]);
    expect(ports.enqueued[0]?.taskRun.stateType).toBe('SCHEDULED');
  });
});
