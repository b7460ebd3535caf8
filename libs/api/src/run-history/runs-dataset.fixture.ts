import type { DataSource } from 'typeorm';

/*
 * A small, fully determined set of flows, deployments, flow runs and task runs for the history,
 * lateness and UI-helper int-specs. Every run that falls in the history window is terminal (or
 * started), so no figure depends on the clock.
 *
 * Window 2026-01-01 00:00 → 03:00, hourly:
 *   [00,01) R1 COMPLETED (late 300 s, ran 60 s), R2 COMPLETED (0 s, 120 s), R3 FAILED (60 s, 30 s)
 *   [01,02) nothing
 *   [02,03) R4 COMPLETED "Cached" (30 s, 10 s), expected exactly at 02:00
 * Outside it: R5 SCHEDULED (F2, next 2099-03-01), R6 COMPLETED on 2025-12-31, R7 (subflow of T3),
 * S1/S2 SCHEDULED runs of F1 in 2099.
 * Task runs (all of R1 but T4): T1 COMPLETED 00:10:05 (late 5 s, ran 2 s), T2 FAILED 01:30 (0 s, 1 s),
 * T3 COMPLETED 00:50 (0 s, 4 s, parent of subflow R7), T4 RUNNING in R2, never started.
 */
export const DATASET = {
  flows: {
    F1: '01930000-0000-7000-8000-0000000000f1',
    F2: '01930000-0000-7000-8000-0000000000f2',
    F3: '01930000-0000-7000-8000-0000000000f3',
  },
  deployments: {
    D1: '01930000-0000-7000-8000-0000000000d1',
    D2: '01930000-0000-7000-8000-0000000000d2',
  },
  runs: {
    R1: '01930000-0000-7000-8000-000000000001',
    R2: '01930000-0000-7000-8000-000000000002',
    R3: '01930000-0000-7000-8000-000000000003',
    R4: '01930000-0000-7000-8000-000000000004',
    R5: '01930000-0000-7000-8000-000000000005',
    R6: '01930000-0000-7000-8000-000000000006',
    R7: '01930000-0000-7000-8000-000000000007',
    S1: '01930000-0000-7000-8000-0000000000a1',
    S2: '01930000-0000-7000-8000-0000000000a2',
  },
  taskRuns: {
    T1: '01930000-0000-7000-8000-0000000000c1',
    T2: '01930000-0000-7000-8000-0000000000c2',
    T3: '01930000-0000-7000-8000-0000000000c3',
    T4: '01930000-0000-7000-8000-0000000000c4',
  },
} as const;

export async function seedRunsDataset(dataSource: DataSource): Promise<void> {
  const { flows: f, deployments: d, runs: r, taskRuns: t } = DATASET;
  await dataSource.query(
    `INSERT INTO flow (id, name) VALUES ($1, 'hist-a'), ($2, 'hist-b'), ($3, 'hist-c')`,
    [f.F1, f.F2, f.F3],
  );
  await dataSource.query(
    `INSERT INTO deployment (id, name, flow_id) VALUES ($1, 'dep-1', $3), ($2, 'dep-2', $3)`,
    [d.D1, d.D2, f.F1],
  );
  const run = (
    id: string,
    flowId: string,
    name: string,
    deploymentId: string | null,
    type: string,
    stateName: string,
    expected: string | null,
    start: string | null,
    totalSeconds: number,
    nextScheduled: string | null = null,
  ) =>
    dataSource.query(
      `INSERT INTO flow_run (id, flow_id, name, deployment_id, state_type, state_name, state_timestamp,
         expected_start_time, start_time, total_run_time, next_scheduled_start_time)
       VALUES ($1, $2, $3, $4, $5::state_type, $6, COALESCE($8::timestamptz, $7::timestamptz), $7, $8,
         make_interval(secs => $9), $10)`,
      [id, flowId, name, deploymentId, type, stateName, expected, start, totalSeconds, nextScheduled],
    );
  await run(
    r.R1,
    f.F1,
    'r1',
    d.D1,
    'COMPLETED',
    'Completed',
    '2026-01-01T00:10:00Z',
    '2026-01-01T00:15:00Z',
    60,
  );
  await run(
    r.R2,
    f.F1,
    'r2',
    d.D1,
    'COMPLETED',
    'Completed',
    '2026-01-01T00:20:00Z',
    '2026-01-01T00:20:00Z',
    120,
  );
  await run(r.R3, f.F1, 'r3', null, 'FAILED', 'Failed', '2026-01-01T00:30:00Z', '2026-01-01T00:31:00Z', 30);
  await run(
    r.R4,
    f.F2,
    'r4',
    null,
    'COMPLETED',
    'Cached',
    '2026-01-01T02:00:00Z',
    '2026-01-01T02:00:30Z',
    10,
  );
  await run(
    r.R5,
    f.F2,
    'r5',
    null,
    'SCHEDULED',
    'Scheduled',
    '2099-03-01T00:00:00Z',
    null,
    0,
    '2099-03-01T00:00:00Z',
  );
  await run(
    r.R6,
    f.F1,
    'r6',
    null,
    'COMPLETED',
    'Completed',
    '2025-12-31T23:00:00Z',
    '2025-12-31T23:00:00Z',
    5,
  );
  await run(
    r.S1,
    f.F1,
    's1',
    d.D2,
    'SCHEDULED',
    'Scheduled',
    '2099-01-01T00:00:00Z',
    null,
    0,
    '2099-01-01T00:00:00Z',
  );
  await run(
    r.S2,
    f.F1,
    's2',
    d.D2,
    'SCHEDULED',
    'Late',
    '2099-06-01T00:00:00Z',
    null,
    0,
    '2099-06-01T00:00:00Z',
  );

  const task = (
    id: string,
    flowRunId: string,
    key: string,
    type: string,
    stateName: string,
    expected: string | null,
    start: string | null,
    totalSeconds: number,
  ) =>
    dataSource.query(
      `INSERT INTO task_run (id, flow_run_id, name, task_key, dynamic_key, state_type, state_name, state_timestamp,
         expected_start_time, start_time, total_run_time)
       VALUES ($1, $2, $3, $3, '0', $4::state_type, $5, COALESCE($7::timestamptz, $6::timestamptz), $6, $7,
         make_interval(secs => $8))`,
      [id, flowRunId, key, type, stateName, expected, start, totalSeconds],
    );
  await task(t.T1, r.R1, 't1', 'COMPLETED', 'Completed', '2026-01-01T00:10:00Z', '2026-01-01T00:10:05Z', 2);
  await task(t.T2, r.R1, 't2', 'FAILED', 'Failed', '2026-01-01T01:30:00Z', '2026-01-01T01:30:00Z', 1);
  await task(t.T3, r.R1, 't3', 'COMPLETED', 'Completed', '2026-01-01T00:50:00Z', '2026-01-01T00:50:00Z', 4);
  await task(t.T4, r.R2, 't4', 'RUNNING', 'Running', '2099-01-01T00:00:00Z', null, 0);
  await run(
    r.R7,
    f.F2,
    'r7',
    null,
    'COMPLETED',
    'Completed',
    '2025-06-01T00:00:00Z',
    '2025-06-01T00:00:00Z',
    3,
  );
  await dataSource.query(`UPDATE flow_run SET parent_task_run_id = $1 WHERE id = $2`, [t.T3, r.R7]);
}
