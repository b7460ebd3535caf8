import {
  defaultFlowRunPolicy,
  defaultTaskRunPolicy,
  Instant,
  stateFromCreate,
  type State,
  type StateCreate,
} from '@orrery/domain';
import type { FlowRunSnapshot, TaskRunSnapshot } from '../engine/run-snapshot';

/** A flow run with no state, no deployment and default policy; override what a test needs. */
export function flowRunFixture(overrides: Partial<FlowRunSnapshot> = {}): FlowRunSnapshot {
  return {
    id: '11111111-1111-7111-8111-111111111111',
    name: 'brave-otter',
    stateId: null,
    stateType: null,
    stateName: null,
    stateTimestamp: null,
    runCount: 0,
    expectedStartTime: null,
    nextScheduledStartTime: null,
    startTime: null,
    endTime: null,
    totalRunTime: 0,
    tags: [],
    flowId: '22222222-2222-7222-8222-222222222222',
    deploymentId: null,
    workQueueId: null,
    parentTaskRunId: null,
    infrastructurePid: null,
    createdBy: null,
    empiricalPolicy: defaultFlowRunPolicy(),
    ...overrides,
  };
}

/** A task run inside flow run `flowRunFixture().id`, with no state. */
export function taskRunFixture(overrides: Partial<TaskRunSnapshot> = {}): TaskRunSnapshot {
  return {
    id: '33333333-3333-7333-8333-333333333333',
    name: 'my-task-0',
    stateId: null,
    stateType: null,
    stateName: null,
    stateTimestamp: null,
    runCount: 0,
    expectedStartTime: null,
    nextScheduledStartTime: null,
    startTime: null,
    endTime: null,
    totalRunTime: 0,
    tags: [],
    flowRunId: '11111111-1111-7111-8111-111111111111',
    taskKey: 'my_task-abc',
    dynamicKey: '0',
    flowRunRunCount: 0,
    empiricalPolicy: defaultTaskRunPolicy(),
    ...overrides,
  };
}

let stateCounter = 0;

/** A persisted-looking state (fresh id) at `timestamp` (default 2026-01-01T00:00:00Z). */
export function stateFixture(
  create: StateCreate,
  timestamp: Instant = Instant.parse('2026-01-01T00:00:00Z'),
): State {
  stateCounter += 1;
  const id = `99999999-9999-7999-8999-${stateCounter.toString(16).padStart(12, '0')}`;
  return stateFromCreate(create, id, timestamp);
}
