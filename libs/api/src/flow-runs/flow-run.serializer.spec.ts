import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultFlowRunPolicy, defaultTaskRunPolicy, Instant } from '@orrery/domain';
import { stateFixture } from '@orrery/orchestration';
import type { FlowRunRecord, TaskRunRecord } from '@orrery/persistence';
import { contractDirectory } from '@orrery/testing';
import { taskRunResponse } from '../task-runs/task-run.serializer';
import { flowRunResponse } from './flow-run.serializer';

const at = (text: string) => Instant.parse(text);

function contractProperties(schema: string): string[] {
  const document = JSON.parse(readFileSync(join(contractDirectory(), 'prefect-openapi.json'), 'utf8')) as {
    components: { schemas: Record<string, { properties: Record<string, unknown> }> };
  };
  return Object.keys(document.components.schemas[schema]!.properties).sort();
}

const running = stateFixture({ type: 'RUNNING' }, at('2026-01-01T00:00:10Z'));

const flowRun: FlowRunRecord = {
  id: '11111111-1111-7111-8111-111111111111',
  created: at('2026-01-01T00:00:00.000001Z'),
  updated: at('2026-01-01T00:00:10Z'),
  name: 'brave-otter',
  flowId: '22222222-2222-7222-8222-222222222222',
  stateId: running.id,
  stateType: 'RUNNING',
  stateName: 'Running',
  stateTimestamp: running.timestamp,
  runCount: 1,
  expectedStartTime: at('2026-01-01T00:00:00Z'),
  nextScheduledStartTime: null,
  startTime: at('2026-01-01T00:00:10Z'),
  endTime: null,
  totalRunTime: 2.5,
  tags: ['a'],
  deploymentId: null,
  workQueueId: null,
  parentTaskRunId: null,
  infrastructurePid: null,
  createdBy: { id: null, type: 'AUTOMATION', displayValue: 'x' },
  empiricalPolicy: defaultFlowRunPolicy(),
  deploymentVersion: null,
  flowVersion: null,
  parameters: {},
  idempotencyKey: null,
  context: {},
  labels: null,
  autoScheduled: false,
  infrastructureDocumentId: null,
  jobVariables: {},
  workQueueName: 'default',
  workPoolId: null,
  workPoolName: 'pool',
  state: running,
};

describe('flowRunResponse / taskRunResponse', () => {
  it('emits every FlowRunResponse field of the contract, computed durations as of now', () => {
    const wire = flowRunResponse(flowRun, at('2026-01-01T00:00:14Z'));
    expect(Object.keys(wire).sort()).toEqual(contractProperties('FlowRunResponse'));
    expect(wire).toMatchObject({
      created: '2026-01-01T00:00:00.000001Z',
      total_run_time: 2.5,
      estimated_run_time: 6.5,
      estimated_start_time_delta: 10,
      labels: {},
      work_queue_name: 'default',
      work_pool_name: 'pool',
      created_by: { id: null, type: 'AUTOMATION', display_value: 'x' },
      state: { id: running.id, type: 'RUNNING', timestamp: '2026-01-01T00:00:10.000000Z' },
    });
  });

  it('emits every TaskRun field of the contract', () => {
    const taskRun: TaskRunRecord = {
      id: '33333333-3333-7333-8333-333333333333',
      created: at('2026-01-01T00:00:00Z'),
      updated: at('2026-01-01T00:00:00Z'),
      name: 'child-0',
      flowRunId: flowRun.id,
      taskKey: 'child',
      dynamicKey: '0',
      cacheKey: null,
      cacheExpiration: null,
      taskVersion: null,
      empiricalPolicy: defaultTaskRunPolicy(),
      tags: [],
      labels: { a: 1 },
      stateId: null,
      taskInputs: {},
      stateType: null,
      stateName: null,
      stateTimestamp: null,
      runCount: 0,
      flowRunRunCount: 0,
      expectedStartTime: null,
      nextScheduledStartTime: null,
      startTime: null,
      endTime: null,
      totalRunTime: 0,
      state: null,
    };
    const wire = taskRunResponse(taskRun, at('2026-01-01T00:00:01Z'));
    expect(Object.keys(wire).sort()).toEqual(contractProperties('TaskRun'));
    expect(wire).toMatchObject({
      state: null,
      estimated_run_time: 0,
      estimated_start_time_delta: 0,
      labels: { a: 1 },
    });
  });
});
