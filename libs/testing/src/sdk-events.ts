import { uuid7 } from '@orrery/domain';

/**
 * One client task-run state event (`prefect.task-run.<State>`), shaped as the Prefect SDK's task
 * engine emits it: the task run as the resource, its flow run related, the validated state and the
 * task run in the payload. Task run `n` is named and keyed `task-<n>`. Tests and benchmarks that
 * feed the task-run recorder send these.
 */
export function sdkTaskRunEvent(
  flowRunId: string,
  taskRunId: string,
  n: number,
  state: string,
  occurred: string,
): Record<string, unknown> {
  return {
    id: uuid7(),
    occurred,
    event: `prefect.task-run.${state}`,
    resource: {
      'prefect.resource.id': `prefect.task-run.${taskRunId}`,
      'prefect.resource.name': `task-${n}`,
      'prefect.state-name': state,
      'prefect.state-type': state.toUpperCase(),
      'prefect.orchestration': 'client',
    },
    related: [
      { 'prefect.resource.id': `prefect.flow-run.${flowRunId}`, 'prefect.resource.role': 'flow-run' },
    ],
    payload: {
      intended: { from: null, to: state.toUpperCase() },
      initial_state: null,
      validated_state: { type: state.toUpperCase(), name: state, timestamp: occurred, state_details: {} },
      task_run: {
        id: taskRunId,
        name: `task-${n}`,
        task_key: `task-${n}`,
        dynamic_key: '0',
        flow_run_id: flowRunId,
        empirical_policy: {},
        tags: [],
      },
    },
  };
}
