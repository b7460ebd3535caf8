import type { DataSource } from 'typeorm';

/**
 * A small, varied dataset for the filter int-specs: every row has a short label (R1, TR2, D1 …) so
 * assertions read as sets of labels. Times are hours after T0 = 2025-01-01T00:00:00Z.
 */

const KIND_DIGIT: Record<string, string> = {
  F: '1',
  R: '2',
  TR: '3',
  D: '4',
  P: '5',
  Q: '6',
  L: '7',
  BT: '8',
  BS: '9',
  BD: 'b',
  V: 'c',
  A: 'd',
  W: 'e',
  AC: 'f',
};

/** The id of a label such as `R3` (kind prefix + number); ids of one kind sort by number. */
export function idOf(label: string): string {
  const match = /^([A-Z]+)(\d+)$/.exec(label);
  const digit = match ? KIND_DIGIT[match[1]!] : undefined;
  if (!match || digit === undefined) throw new Error(`bad label ${label}`);
  return `${digit}0000000-0000-4000-8000-${match[2]!.padStart(12, '0')}`;
}

const LABELS = new Map<string, string>();
for (const [kind] of Object.entries(KIND_DIGIT)) {
  for (let n = 1; n <= 9; n += 1) LABELS.set(idOf(`${kind}${n}`), `${kind}${n}`);
}

/** The label of an id from `idOf`. */
export function labelOf(id: string): string {
  const label = LABELS.get(id);
  if (label === undefined) throw new Error(`unknown id ${id}`);
  return label;
}

/** `T0 + hours` as ISO text. */
export function at(hours: number): string {
  return new Date(Date.UTC(2025, 0, 1) + hours * 3_600_000).toISOString();
}

const j = (value: unknown): string => JSON.stringify(value);

export async function seedFiltersDataset(dataSource: DataSource): Promise<void> {
  const run = (sql: string, params: unknown[] = []): Promise<unknown> => dataSource.query(sql, params);
  const id = idOf;

  for (const [label, name, tags] of [
    ['F1', 'etl-pipeline', ['prod', 'etl']],
    ['F2', 'ml_train', []],
    ['F3', 'report%daily', ['prod']],
  ] as const) {
    await run(`INSERT INTO flow (id, name, tags, created, updated) VALUES ($1, $2, $3, $4, $4)`, [
      id(label),
      name,
      j(tags),
      at(Number(label.slice(1))),
    ]);
  }

  await run(
    `INSERT INTO work_pool (id, name, type) VALUES ($1, 'k8s-pool', 'kubernetes'), ($2, 'proc-pool', 'process')`,
    [id('P1'), id('P2')],
  );
  await run(
    `INSERT INTO work_queue (id, name, priority, work_pool_id) VALUES
       ($1, 'default', 1, $4), ($2, 'High-Priority', 2, $4), ($3, 'default', 1, $5)`,
    [id('Q1'), id('Q2'), id('Q3'), id('P1'), id('P2')],
  );
  await run(
    `INSERT INTO worker (id, name, work_pool_id, status, last_heartbeat_time) VALUES
       ($1, 'worker-a', $3, 'ONLINE', $4), ($2, 'worker-b', $3, 'OFFLINE', $5)`,
    [id('W1'), id('W2'), id('P1'), at(1), at(0)],
  );

  await run(
    `INSERT INTO deployment (id, name, flow_id, work_queue_id, work_queue_name, tags, paused, created, updated) VALUES
       ($1, 'nightly', $3, $5, 'default', '["prod"]', false, $7, $8),
       ($2, 'adhoc', $4, $6, 'default', '[]', true, $8, $7)`,
    [id('D1'), id('D2'), id('F1'), id('F2'), id('Q1'), id('Q3'), at(1), at(2)],
  );

  const flowRun = (r: {
    label: string;
    name: string;
    flow: string;
    deployment?: string;
    queue?: string;
    queueName?: string;
    state: string;
    stateName: string;
    tags: string[];
    start?: number;
    expected?: number;
    end?: number;
    next?: number;
    createdBy?: Record<string, string>;
    idempotencyKey?: string;
    flowVersion?: string;
    parentTaskRun?: string;
  }): Promise<unknown> =>
    run(
      `INSERT INTO flow_run (id, name, flow_id, deployment_id, work_queue_id, work_queue_name, state_type, state_name,
         tags, start_time, expected_start_time, end_time, next_scheduled_start_time, created_by, idempotency_key,
         flow_version, parent_task_run_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [
        id(r.label),
        r.name,
        id(r.flow),
        r.deployment ? id(r.deployment) : null,
        r.queue ? id(r.queue) : null,
        r.queueName ?? null,
        r.state,
        r.stateName,
        j(r.tags),
        r.start === undefined ? null : at(r.start),
        r.expected === undefined ? null : at(r.expected),
        r.end === undefined ? null : at(r.end),
        r.next === undefined ? null : at(r.next),
        r.createdBy ? j(r.createdBy) : null,
        r.idempotencyKey ?? null,
        r.flowVersion ?? null,
        r.parentTaskRun ? id(r.parentTaskRun) : null,
      ],
    );

  await flowRun({
    label: 'R1',
    name: 'brave-otter',
    flow: 'F1',
    deployment: 'D1',
    queue: 'Q1',
    queueName: 'default',
    state: 'COMPLETED',
    stateName: 'Completed',
    tags: ['prod', 'etl'],
    start: 1,
    expected: 1,
    end: 2,
    createdBy: { id: id('D1'), type: 'DEPLOYMENT' },
    idempotencyKey: 'k1',
    flowVersion: '1.0',
  });
  await flowRun({
    label: 'R2',
    name: 'calm-heron',
    flow: 'F1',
    deployment: 'D1',
    queue: 'Q1',
    queueName: 'default',
    state: 'FAILED',
    stateName: 'Failed',
    tags: ['prod'],
    expected: 3,
    flowVersion: '1.1',
  });
  await flowRun({
    label: 'R3',
    name: 'eager-lynx',
    flow: 'F2',
    deployment: 'D2',
    queue: 'Q3',
    queueName: 'default',
    state: 'RUNNING',
    stateName: 'Running',
    tags: ['ml'],
    start: 5,
    expected: 4,
    createdBy: { id: id('A1'), type: 'AUTOMATION' },
    idempotencyKey: 'k3',
  });
  await flowRun({
    label: 'R4',
    name: 'fancy-moose',
    flow: 'F2',
    state: 'SCHEDULED',
    stateName: 'Late',
    tags: [],
    expected: 10,
    next: 10,
  });
  await flowRun({
    label: 'R6',
    name: 'special_run%x',
    flow: 'F1',
    deployment: 'D1',
    queue: 'Q2',
    queueName: 'High-Priority',
    state: 'CANCELLED',
    stateName: 'Cancelled',
    tags: ['etl'],
    start: 6,
    expected: 6,
    end: 7,
  });

  const taskRun = (
    label: string,
    name: string,
    flowRun: string | null,
    state: string,
    tags: string[],
    start?: number,
    end?: number,
  ): Promise<unknown> =>
    run(
      `INSERT INTO task_run (id, name, flow_run_id, task_key, dynamic_key, state_type, state_name, tags,
         start_time, expected_start_time, end_time)
       VALUES ($1, $2, $3, $2, '0', $4, $8, $5, $6, $6, $7)`,
      [
        id(label),
        name,
        flowRun ? id(flowRun) : null,
        state,
        j(tags),
        start === undefined ? null : at(start),
        end === undefined ? null : at(end),
        state.charAt(0) + state.slice(1).toLowerCase(),
      ],
    );
  await taskRun('TR1', 'extract-1', 'R1', 'COMPLETED', ['io'], 1.1, 1.2);
  await taskRun('TR2', 'subflow-call', 'R1', 'COMPLETED', [], 1.3, 1.9);
  await taskRun('TR3', 'train', 'R3', 'RUNNING', ['gpu', 'io'], 5);
  await taskRun('TR4', 'background-task', null, 'PENDING', []);

  // R5 is a subflow of R1, called from task run TR2.
  await flowRun({
    label: 'R5',
    name: 'gentle-crane',
    flow: 'F3',
    state: 'COMPLETED',
    stateName: 'Completed',
    tags: [],
    start: 1.5,
    expected: 1.5,
    end: 1.75,
    parentTaskRun: 'TR2',
  });

  for (const [label, run_, task, level, message, name, hours] of [
    ['L1', 'R1', 'TR1', 20, 'Extracting rows from DB', 'prefect.task_runs', 1.11],
    ['L2', 'R1', null, 40, 'Connection timeout after 30s', 'prefect.flow_runs', 1.12],
    ['L3', 'R3', 'TR3', 10, 'debug: gpu memory 80%', 'prefect.task_runs', 5.01],
    ['L4', 'R3', null, 30, 'Warning: slow epoch', 'ml.trainer', 5.02],
  ] as const) {
    await run(
      `INSERT INTO log (id, flow_run_id, task_run_id, level, message, name, "timestamp") VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [id(label), id(run_), task ? id(task) : null, level, message, name, at(hours)],
    );
  }

  await run(
    `INSERT INTO block_type (id, name, slug) VALUES ($1, 'AWS Credentials', 'aws-credentials'), ($2, 'Secret', 'secret')`,
    [id('BT1'), id('BT2')],
  );
  await run(
    `INSERT INTO block_schema (id, checksum, block_type_id, capabilities, version, created) VALUES
       ($1, 'sha256:1', $3, '[]', '1.0', $5), ($2, 'sha256:2', $4, '["read-path", "write-path"]', 'non-versioned', $6)`,
    [id('BS1'), id('BS2'), id('BT1'), id('BT2'), at(1), at(2)],
  );
  await run(
    `INSERT INTO block_document (id, name, block_type_id, block_schema_id, block_type_name, is_anonymous) VALUES
       ($1, 'prod-creds', $4, $6, 'AWS Credentials', false),
       ($2, 'anonymous-xyz', $4, $6, 'AWS Credentials', true),
       ($3, 'db-password', $5, $7, 'Secret', false)`,
    [id('BD1'), id('BD2'), id('BD3'), id('BT1'), id('BT2'), id('BS1'), id('BS2')],
  );

  await run(
    `INSERT INTO variable (id, name, value, tags, created, updated) VALUES
       ($1, 'api_url', '"https://x"', '["prod"]', $3, $4), ($2, 'retries', '3', '[]', $4, $3)`,
    [id('V1'), id('V2'), at(1), at(2)],
  );

  await run(
    `INSERT INTO artifact (id, key, type, flow_run_id, task_run_id, created) VALUES
       ($1, 'report', 'markdown', $4, $6, $7),
       ($2, NULL, 'table', $5, NULL, $8),
       ($3, 'report', 'markdown', $9, NULL, $10)`,
    [id('A1'), id('A2'), id('A3'), id('R1'), id('R3'), id('TR1'), at(1), at(2), id('R6'), at(3)],
  );
  await run(
    `INSERT INTO artifact_collection (id, key, latest_id, type, flow_run_id) VALUES ($1, 'report', $2, 'markdown', $3)`,
    [id('AC1'), id('A3'), id('R6')],
  );
}
