import { Instant } from '@orrery/domain';
import { flowRunFixture, stateFixture } from '../testing/run-fixtures';
import { flowRunStateChangeEvent, statePayload } from './flow-run-state-event';

const T = Instant.parse('2026-01-01T00:00:00.250000Z');

describe('flowRunStateChangeEvent (spec-services §3.2)', () => {
  const run = flowRunFixture({
    runCount: 2,
    tags: ['b', 'shared'],
    createdBy: { id: 'dep-9', type: 'DEPLOYMENT', displayValue: 'my-deployment' },
  });
  const related = {
    flow: { id: 'flow-1', name: 'my-flow', tags: ['a', 'shared'] },
    deployment: { id: 'dep-1', name: 'prod', tags: ['c'] },
    workQueue: { id: 'wq-1', name: 'default' },
    workPool: { id: 'wp-1', name: 'pool', type: 'process' },
    parentTaskRun: null,
  };

  it('names the state, uses its id, and describes the run', () => {
    const initial = stateFixture({ type: 'PENDING' }, T.minusSeconds(60));
    const validated = stateFixture({ type: 'RUNNING', message: 'go' }, T);
    const event = flowRunStateChangeEvent({ run, related, initialState: initial, validatedState: validated });
    expect(event.id).toBe(validated.id);
    expect(event.occurred).toBe(T);
    expect(event.event).toBe('prefect.flow-run.Running');
    expect(event.follows).toBe(initial.id);
    expect(event.resource).toEqual({
      'prefect.resource.id': `prefect.flow-run.${run.id}`,
      'prefect.resource.name': run.name,
      'prefect.run-count': '2',
      'prefect.state-message': 'go',
      'prefect.state-name': 'Running',
      'prefect.state-timestamp': '2026-01-01T00:00:00.250000+00:00',
      'prefect.state-type': 'RUNNING',
    });
    expect(event.related).toEqual([
      {
        'prefect.resource.id': 'prefect.flow.flow-1',
        'prefect.resource.role': 'flow',
        'prefect.resource.name': 'my-flow',
      },
      {
        'prefect.resource.id': 'prefect.deployment.dep-1',
        'prefect.resource.role': 'deployment',
        'prefect.resource.name': 'prod',
      },
      {
        'prefect.resource.id': 'prefect.work-queue.wq-1',
        'prefect.resource.role': 'work-queue',
        'prefect.resource.name': 'default',
      },
      {
        'prefect.resource.id': 'prefect.work-pool.wp-1',
        'prefect.resource.role': 'work-pool',
        'prefect.resource.name': 'pool',
        'prefect.work-pool.type': 'process',
      },
      { 'prefect.resource.id': 'prefect.tag.a', 'prefect.resource.role': 'tag' },
      { 'prefect.resource.id': 'prefect.tag.b', 'prefect.resource.role': 'tag' },
      { 'prefect.resource.id': 'prefect.tag.c', 'prefect.resource.role': 'tag' },
      { 'prefect.resource.id': 'prefect.tag.shared', 'prefect.resource.role': 'tag' },
      {
        'prefect.resource.id': 'prefect.deployment.dep-9',
        'prefect.resource.role': 'creator',
        'prefect.resource.name': 'my-deployment',
      },
    ]);
    expect(event.payload).toEqual({
      intended: { from: 'PENDING', to: 'RUNNING' },
      initial_state: { type: 'PENDING', name: 'Pending' },
      validated_state: { type: 'RUNNING', name: 'Running', message: 'go' },
    });
  });

  it('follows the previous state only within five minutes, and never for a first state', () => {
    const validated = stateFixture({ type: 'RUNNING' }, T);
    const old = stateFixture({ type: 'PENDING' }, T.minusSeconds(301));
    expect(
      flowRunStateChangeEvent({ run, related, initialState: old, validatedState: validated }).follows,
    ).toBeNull();
    const first = flowRunStateChangeEvent({ run, related, initialState: null, validatedState: validated });
    expect(first.follows).toBeNull();
    expect(first.payload.intended).toEqual({ from: null, to: 'RUNNING' });
    expect(first.payload.initial_state).toBeNull();
  });

  it('writes a whole-second timestamp without a fraction, as Python does', () => {
    const validated = stateFixture({ type: 'RUNNING' }, Instant.parse('2026-01-01T00:00:00Z'));
    const event = flowRunStateChangeEvent({ run, related, initialState: null, validatedState: validated });
    expect(event.resource['prefect.state-timestamp']).toBe('2026-01-01T00:00:00+00:00');
  });

  it('adds pause_reschedule for paused states', () => {
    expect(
      statePayload(
        stateFixture({ type: 'PAUSED', name: 'Suspended', stateDetails: { pauseReschedule: true } }),
      ),
    ).toEqual({
      type: 'PAUSED',
      name: 'Suspended',
      pause_reschedule: 'true',
    });
  });
});
