import { defaultFlowRunPolicy } from '@orrery/domain';
import type { RuleClass } from '../engine/orchestration.policy';
import { OrchestrationRule } from '../engine/orchestration.rule';
import type { RuleContext } from '../engine/rule.context';
import { ANY_STATE } from '../engine/state-sets';
import { GLOBAL_FLOW_POLICY } from '../policies/global-flow.policy';
import { GLOBAL_TASK_POLICY } from '../policies/global-task.policy';
import { InMemoryOrchestrationPorts } from '../testing/in-memory-orchestration.ports';
import { orchestrateFlow, orchestrateTask } from '../testing/orchestrate.harness';
import { stateFixture } from '../testing/run-fixtures';

const Waiter: RuleClass<'flow'> = class extends OrchestrationRule<'flow'> {
  readonly name = 'Waiter';
  readonly fromStates = ANY_STATE;
  readonly toStates = ANY_STATE;
  override before(ctx: RuleContext<'flow'>): void {
    ctx.wait(3, 'later');
  }
};

describe('global transform order (spec-api §4.4)', () => {
  it('flows: unique timestamp, the common nine, subflow, counts, resuming', () => {
    expect(GLOBAL_FLOW_POLICY.rules.map((R) => new R().name)).toEqual([
      'EnsureFlowRunStateTimestampIsUnique',
      'SetRunStateType',
      'SetRunStateName',
      'SetRunStateTimestamp',
      'SetStartTime',
      'SetEndTime',
      'IncrementRunTime',
      'SetExpectedStartTime',
      'SetNextScheduledStartTime',
      'UpdateStateDetails',
      'UpdateSubflowParentTask',
      'UpdateSubflowStateDetails',
      'IncrementFlowRunCount',
      'RemoveResumingIndicator',
    ]);
  });

  it('tasks: the common nine, then IncrementTaskRunCount', () => {
    const names = GLOBAL_TASK_POLICY.rules.map((R) => new R().name);
    expect(names).toHaveLength(10);
    expect(names[9]).toBe('IncrementTaskRunCount');
    expect(names[0]).toBe('SetRunStateType');
  });
});

describe('EnsureFlowRunStateTimestampIsUnique', () => {
  it('moves a clashing timestamp 1 µs later until it is free', async () => {
    const ports = new InMemoryOrchestrationPorts();
    const runId = '11111111-1111-7111-8111-111111111111';
    ports.writtenStates.set(runId, [
      stateFixture({ type: 'PENDING' }, ports.time),
      stateFixture({ type: 'PENDING', name: 'Submitting' }, ports.time.plusMicros(1)),
    ]);
    const { result } = await orchestrateFlow({ ports, policy: [], proposed: { type: 'RUNNING' } });
    expect(result.state?.timestamp.epochMicros).toBe(ports.time.epochMicros + 2);
    expect(result.runChanges.stateTimestamp?.epochMicros).toBe(ports.time.epochMicros + 2);
  });
});

describe('run columns', () => {
  it('copy the new state type, name and timestamp, and set start/expected start on the first RUNNING', async () => {
    const { result } = await orchestrateFlow({
      policy: [],
      initial: null,
      proposed: { type: 'RUNNING', name: 'Go' },
    });
    const ts = result.state!.timestamp;
    expect(result.runChanges).toMatchObject({ stateType: 'RUNNING', stateName: 'Go', runCount: 1 });
    expect(result.runChanges.stateTimestamp).toBe(ts);
    expect(result.runChanges.startTime).toBe(ts);
    expect(result.runChanges.expectedStartTime).toBe(ts);
  });

  it('keep an existing start time and expected start time', async () => {
    const ports = new InMemoryOrchestrationPorts();
    const earlier = ports.time.minusSeconds(100);
    const { result } = await orchestrateFlow({
      ports,
      policy: [],
      run: { startTime: earlier, expectedStartTime: earlier },
      initial: { type: 'PENDING' },
      proposed: { type: 'RUNNING' },
    });
    expect(result.runChanges.startTime).toBeUndefined();
    expect(result.runChanges.expectedStartTime).toBeUndefined();
  });

  it('set the expected and next scheduled start time from a SCHEDULED state, and clear the latter on leaving it', async () => {
    const ports = new InMemoryOrchestrationPorts();
    const at = ports.time.plusSeconds(3600);
    const scheduled = await orchestrateFlow({
      ports,
      policy: [],
      initial: null,
      proposed: { type: 'SCHEDULED', stateDetails: { scheduledTime: at } },
    });
    expect(scheduled.result.runChanges.expectedStartTime).toBe(at);
    expect(scheduled.result.runChanges.nextScheduledStartTime).toBe(at);
    const pending = await orchestrateFlow({
      policy: [],
      run: { nextScheduledStartTime: at, expectedStartTime: at },
      initial: scheduled.result.state,
      proposed: { type: 'PENDING' },
    });
    expect(pending.result.runChanges.nextScheduledStartTime).toBeNull();
    expect(pending.result.runChanges.expectedStartTime).toBeUndefined();
  });

  it('end a run on its first terminal state (starting it too if it never ran) and accumulate run time', async () => {
    const ports = new InMemoryOrchestrationPorts();
    const never = await orchestrateFlow({
      ports,
      policy: [],
      initial: { type: 'PENDING' },
      proposed: { type: 'FAILED' },
    });
    expect(never.result.runChanges.endTime).toBe(never.result.state?.timestamp);
    expect(never.result.runChanges.startTime).toBe(never.result.state?.timestamp);
    expect(never.result.runChanges.totalRunTime).toBeUndefined();

    // A fresh store: the state written above would push this one 1 µs later.
    const ran = await orchestrateFlow({
      ports: new InMemoryOrchestrationPorts(),
      policy: [],
      run: { startTime: ports.time.minusSeconds(12.5), totalRunTime: 3 },
      initial: { type: 'RUNNING' },
      initialAt: ports.time.minusSeconds(12.5),
      proposed: { type: 'COMPLETED' },
    });
    expect(ran.result.runChanges.totalRunTime).toBeCloseTo(15.5, 6);
    expect(ran.result.runChanges.startTime).toBeUndefined();
  });

  it('keep the end time between terminal states and clear it for a rerun', async () => {
    const ports = new InMemoryOrchestrationPorts();
    const end = ports.time.minusSeconds(60);
    const again = await orchestrateFlow({
      ports,
      policy: [],
      run: { endTime: end, startTime: end },
      initial: { type: 'FAILED' },
      proposed: { type: 'CRASHED' },
    });
    expect(again.result.runChanges.endTime).toBeUndefined();
    const rerun = await orchestrateFlow({
      ports,
      policy: [],
      run: { endTime: end, startTime: end },
      initial: { type: 'FAILED' },
      proposed: { type: 'SCHEDULED' },
    });
    expect(rerun.result.runChanges.endTime).toBeNull();
  });

  it('are left alone when the proposal was nulled', async () => {
    const { result } = await orchestrateFlow({
      policy: [Waiter],
      initial: { type: 'PENDING' },
      proposed: { type: 'RUNNING' },
    });
    expect(result.status).toBe('WAIT');
    expect(result.runChanges).toEqual({});
  });
});

describe('state details and subflows', () => {
  it("overwrite the run ids of a flow run's and a task run's state", async () => {
    const flow = await orchestrateFlow({
      policy: [],
      proposed: { type: 'RUNNING', stateDetails: { flowRunId: 'x', taskRunId: 'y' } },
    });
    expect(flow.result.state?.stateDetails).toMatchObject({ flowRunId: flow.run.id, taskRunId: 'y' });
    const task = await orchestrateTask({
      policy: [],
      proposed: { type: 'PENDING', stateDetails: { flowRunId: 'x', taskRunId: 'y' } },
    });
    expect(task.result.state?.stateDetails).toMatchObject({
      flowRunId: task.run.flowRunId,
      taskRunId: task.run.id,
    });
  });

  it('point a subflow state at its parent task run and mirror it onto that task run', async () => {
    const parent = '44444444-4444-7444-8444-444444444444';
    const { result, ports, run } = await orchestrateFlow({
      policy: [],
      run: { parentTaskRunId: parent },
      initial: { type: 'PENDING' },
      proposed: { type: 'RUNNING' },
    });
    expect(result.state?.stateDetails.taskRunId).toBe(parent);
    expect(ports.parentTaskRunStates).toHaveLength(1);
    const mirror = ports.parentTaskRunStates[0]!;
    expect(mirror.taskRunId).toBe(parent);
    expect(mirror.state).toMatchObject({ type: 'RUNNING', name: 'Running' });
    expect(mirror.state.stateDetails.childFlowRunId).toBe(run.id);
    expect(mirror.state.id).not.toBe(result.state?.id);
    expect(result.state?.stateDetails.childFlowRunId).toBeNull();
  });

  it('do not touch the parent task run when the transition was nulled', async () => {
    const { ports } = await orchestrateFlow({
      policy: [Waiter],
      run: { parentTaskRunId: 'parent' },
      initial: { type: 'PENDING' },
      proposed: { type: 'RUNNING' },
    });
    expect(ports.parentTaskRunStates).toEqual([]);
  });
});

describe('run counts and the resuming indicator', () => {
  it('count each RUNNING, except when resuming a pause (API ≥ 0.8.4)', async () => {
    const resuming = { ...defaultFlowRunPolicy(), resuming: true };
    const resumed = await orchestrateFlow({
      policy: [],
      run: { runCount: 1, empiricalPolicy: resuming },
      initial: { type: 'PAUSED' },
      proposed: { type: 'RUNNING' },
    });
    expect(resumed.result.runChanges.runCount).toBeUndefined();
    expect(resumed.result.runChanges.empiricalPolicy?.resuming).toBe(false);
    const legacy = await orchestrateFlow({
      policy: [],
      run: { runCount: 1, empiricalPolicy: resuming },
      initial: { type: 'PAUSED' },
      proposed: { type: 'RUNNING' },
      apiVersion: [0, 8, 3],
    });
    expect(legacy.result.runChanges.runCount).toBe(2);
    expect(legacy.result.runChanges.empiricalPolicy).toBeUndefined();
  });

  it('clear resuming on a terminal state but not on SCHEDULED', async () => {
    const resuming = { ...defaultFlowRunPolicy(), resuming: true };
    const done = await orchestrateFlow({
      policy: [],
      run: { empiricalPolicy: resuming },
      initial: { type: 'PAUSED' },
      proposed: { type: 'COMPLETED' },
    });
    expect(done.result.run.empiricalPolicy.resuming).toBe(false);
    const rescheduled = await orchestrateFlow({
      policy: [],
      run: { empiricalPolicy: resuming },
      initial: { type: 'PAUSED' },
      proposed: { type: 'SCHEDULED' },
    });
    expect(rescheduled.result.run.empiricalPolicy.resuming).toBe(true);
  });

  it('count each RUNNING of a task run', async () => {
    const { result } = await orchestrateTask({
      policy: [],
      run: { runCount: 2 },
      initial: { type: 'PENDING' },
      proposed: { type: 'RUNNING' },
    });
    expect(result.runChanges.runCount).toBe(3);
  });
});
