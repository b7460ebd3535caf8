import { type TaskRunEvent, taskRunRows } from './task-run-rows';

const FLOW_RUN = '11111111-1111-4111-8111-111111111111';

function event(
  id: string,
  taskRunId: string,
  state: string,
  occurred: string,
  extra: Partial<TaskRunEvent> = {},
): TaskRunEvent {
  return {
    id,
    occurred,
    event: `prefect.task-run.${state}`,
    resource: { 'prefect.resource.id': `prefect.task-run.${taskRunId}`, 'prefect.orchestration': 'client' },
    related: [{ 'prefect.resource.id': `prefect.flow-run.${FLOW_RUN}`, 'prefect.resource.role': 'flow-run' }],
    payload: {
      validated_state: { type: state.toUpperCase(), name: state, message: '', state_details: {} },
      task_run: { name: 't', task_key: 'k', dynamic_key: '0', run_count: 1, total_run_time: 0.5 },
    },
    ...extra,
  };
}

describe('taskRunRows', () => {
  it('keeps the newest state per task run whatever the order, and every state row', () => {
    const { runs, states } = taskRunRows([
      event('e3', 'a', 'Completed', '2026-01-01T00:00:03Z'),
      event('e1', 'a', 'Pending', '2026-01-01T00:00:01Z'),
      event('e2', 'a', 'Running', '2026-01-01T00:00:02Z'),
    ]);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      id: 'a',
      flow_run_id: FLOW_RUN,
      state_id: 'e3',
      state_type: 'COMPLETED',
      total_run_time: 0.5,
    });
    expect(states.map((s) => s.id).sort()).toEqual(['e1', 'e2', 'e3']);
    expect(states[0]!.state_details).toMatchObject({ task_run_id: 'a', flow_run_id: FLOW_RUN });
  });

  it('takes the later event of the batch when two states share a timestamp, as upstream', () => {
    const { runs } = taskRunRows([
      event('e1', 'a', 'Running', '2026-01-01T00:00:01.000001Z'),
      event('e2', 'a', 'Completed', '2026-01-01T00:00:01.000001Z'),
    ]);
    expect(runs[0]).toMatchObject({ state_id: 'e2', state_type: 'COMPLETED' });
  });

  it('merges two ids that share a natural key under the first one', () => {
    const { runs, states } = taskRunRows([
      event('e1', 'a', 'Running', '2026-01-01T00:00:01Z'),
      event('e2', 'b', 'Completed', '2026-01-01T00:00:02Z'),
    ]);
    expect(runs.map((r) => [r.id, r.state_id])).toEqual([['a', 'e2']]);
    expect(states.map((s) => s.task_run_id)).toEqual(['a', 'a']);
  });

  it('ignores events that are not client task-run events', () => {
    const server = event('e1', 'a', 'Running', '2026-01-01T00:00:01Z');
    const { runs } = taskRunRows([
      { ...server, resource: { ...server.resource, 'prefect.orchestration': 'server' } },
      { ...server, event: 'prefect.flow-run.Running' },
    ]);
    expect(runs).toEqual([]);
  });
});
