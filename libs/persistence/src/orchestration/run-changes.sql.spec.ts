import { defaultFlowRunPolicy, defaultTaskRunPolicy, Instant } from '@orrery/domain';
import { runChangesUpdate } from './run-changes.sql';

describe('runChangesUpdate', () => {
  it('writes nothing when nothing changed', () => {
    expect(runChangesUpdate('flow', 'run-1', {})).toBeNull();
  });

  it('writes every changed field with its cast, µs timestamps as text, the interval from seconds', () => {
    const at = Instant.parse('2026-01-02T03:04:05.123456Z');
    const update = runChangesUpdate('flow', 'run-1', {
      stateId: 'state-1',
      stateType: 'RUNNING',
      stateName: 'Running',
      stateTimestamp: at,
      runCount: 2,
      startTime: at,
      endTime: null,
      totalRunTime: 1.5,
      empiricalPolicy: { ...defaultFlowRunPolicy(), retries: 2, pauseKeys: ['k'] },
    });
    expect(update!.sql).toBe(
      'UPDATE flow_run SET state_id = $2::uuid, state_type = $3::state_type, state_name = $4::text, ' +
        'state_timestamp = $5::timestamptz, run_count = $6::int, start_time = $7::timestamptz, ' +
        'end_time = $8::timestamptz, total_run_time = make_interval(secs => $9::float8), ' +
        'empirical_policy = $10::jsonb, updated = now() WHERE id = $1',
    );
    expect(update!.params).toEqual([
      'run-1',
      'state-1',
      'RUNNING',
      'Running',
      '2026-01-02T03:04:05.123456Z',
      2,
      '2026-01-02T03:04:05.123456Z',
      null,
      1.5,
      JSON.stringify({
        max_retries: 0,
        retry_delay_seconds: 0,
        retries: 2,
        retry_delay: null,
        pause_keys: ['k'],
        resuming: false,
        retry_type: null,
      }),
    ]);
  });

  it('writes task-run policies and flow_run_run_count on the task_run table', () => {
    const update = runChangesUpdate('task', 'task-1', {
      flowRunRunCount: 3,
      empiricalPolicy: { ...defaultTaskRunPolicy(), retryDelay: [1, 2] },
    });
    expect(update!.sql).toBe(
      'UPDATE task_run SET flow_run_run_count = $2::int, empirical_policy = $3::jsonb, updated = now() WHERE id = $1',
    );
    expect(JSON.parse(update!.params[2] as string)).toMatchObject({
      retry_delay: [1, 2],
      retry_jitter_factor: null,
    });
  });
});
