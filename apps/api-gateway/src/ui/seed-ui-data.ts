/**
 * A small workspace for the UI's browser tests, made through the REST API as a Prefect user's SDK
 * and workers would: a flow with a deployment (schedule, parameters, job variables) in a process
 * work pool with a queue, runs in several states with task runs, a subflow, logs and artifacts,
 * a block, a variable, concurrency limits of both kinds and an automation.
 */
export interface SeededUiData {
  readonly flowId: string;
  readonly deploymentId: string;
  readonly completedRunId: string;
  readonly runningRunId: string;
  readonly subflowRunId: string;
  readonly taskRunId: string;
  readonly artifactId: string;
  readonly blockDocumentId: string;
  readonly tagLimitId: string;
  readonly automationId: string;
}

export const SEED = {
  flow: 'ui-etl-flow',
  deployment: 'nightly-etl',
  workPool: 'ui-process-pool',
  queue: 'ui-priority-queue',
  completedRun: 'bright-falcon',
  runningRun: 'steady-otter',
  subflowRun: 'little-subflow',
  taskRun: 'extract-orders-0',
  logLine: 'extracted 1204 orders from the warehouse',
  artifactKey: 'orders-report',
  artifactMarkdown: 'Orders processed today',
  block: 'ui-secret-block',
  variable: 'ui_region',
  variableValue: 'eu-west-1',
  tagLimit: 'ui-database-tag',
  globalLimit: 'ui-global-limit',
  automation: 'ui-notify-on-failure',
} as const;

/** One JSON call to the REST API at `api`; a non-2xx answer throws with its body. */
export async function call<T>(api: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

async function setState(
  api: string,
  runs: 'flow_runs' | 'task_runs',
  id: string,
  type: string,
  name: string,
) {
  await call(api, 'POST', `/${runs}/${id}/set_state`, { state: { type, name }, force: true });
}

export async function seedUiData(api: string): Promise<SeededUiData> {
  const flow = await call<{ id: string }>(api, 'POST', '/flows/', { name: SEED.flow });
  await call(api, 'POST', '/work_pools/', { name: SEED.workPool, type: 'process' });
  await call(api, 'POST', `/work_pools/${SEED.workPool}/queues`, { name: SEED.queue, priority: 2 });
  const deployment = await call<{ id: string }>(api, 'POST', '/deployments/', {
    name: SEED.deployment,
    flow_id: flow.id,
    work_pool_name: SEED.workPool,
    work_queue_name: SEED.queue,
    description: 'Loads the warehouse every night',
    parameters: { region: 'emea', batch_size: 500 },
    parameter_openapi_schema: {
      type: 'object',
      title: 'Parameters',
      properties: {
        region: { type: 'string', title: 'region', default: 'emea', position: 0 },
        batch_size: { type: 'integer', title: 'batch_size', default: 500, position: 1 },
      },
    },
    job_variables: { env: { LOG_LEVEL: 'DEBUG' } },
    tags: ['etl'],
    schedules: [{ schedule: { interval: 3600, timezone: 'UTC' }, active: true }],
  });

  const completed = await call<{ id: string }>(api, 'POST', `/deployments/${deployment.id}/create_flow_run`, {
    name: SEED.completedRun,
    parameters: { region: 'apac', batch_size: 50 },
    job_variables: { env: { LOG_LEVEL: 'INFO' } },
    tags: ['etl'],
  });
  await setState(api, 'flow_runs', completed.id, 'RUNNING', 'Running');
  const task = await call<{ id: string }>(api, 'POST', '/task_runs/', {
    flow_run_id: completed.id,
    task_key: 'extract_orders',
    dynamic_key: '0',
    name: SEED.taskRun,
    task_inputs: { since: [] },
  });
  await setState(api, 'task_runs', task.id, 'RUNNING', 'Running');
  await setState(api, 'task_runs', task.id, 'COMPLETED', 'Completed');
  const subflowTask = await call<{ id: string }>(api, 'POST', '/task_runs/', {
    flow_run_id: completed.id,
    task_key: 'little_subflow',
    dynamic_key: '0',
    name: 'little-subflow-0',
  });
  const subflow = await call<{ id: string }>(api, 'POST', '/flow_runs/', {
    flow_id: flow.id,
    name: SEED.subflowRun,
    parent_task_run_id: subflowTask.id,
  });
  await setState(api, 'flow_runs', subflow.id, 'RUNNING', 'Running');
  await setState(api, 'flow_runs', subflow.id, 'COMPLETED', 'Completed');
  await setState(api, 'task_runs', subflowTask.id, 'COMPLETED', 'Completed');
  const now = new Date().toISOString();
  await call(api, 'POST', '/logs/', [
    {
      name: 'prefect.flow_runs',
      level: 20,
      message: SEED.logLine,
      timestamp: now,
      flow_run_id: completed.id,
    },
    {
      name: 'prefect.task_runs',
      level: 20,
      message: 'task extract_orders finished',
      timestamp: now,
      flow_run_id: completed.id,
      task_run_id: task.id,
    },
  ]);
  const artifact = await call<{ id: string }>(api, 'POST', '/artifacts/', {
    key: SEED.artifactKey,
    type: 'markdown',
    data: `# ${SEED.artifactMarkdown}\n\n1204 orders`,
    description: 'Daily orders',
    flow_run_id: completed.id,
    task_run_id: task.id,
  });
  await setState(api, 'flow_runs', completed.id, 'COMPLETED', 'Completed');

  const running = await call<{ id: string }>(api, 'POST', `/deployments/${deployment.id}/create_flow_run`, {
    name: SEED.runningRun,
  });
  await setState(api, 'flow_runs', running.id, 'RUNNING', 'Running');

  const [secretType] = await call<{ id: string }[]>(api, 'POST', '/block_types/filter', {
    block_types: { slug: { any_: ['secret'] } },
  });
  if (secretType === undefined) throw new Error('the Secret block type is not registered');
  const [secretSchema] = await call<{ id: string }[]>(api, 'POST', '/block_schemas/filter', {
    block_types: { id: { any_: [secretType.id] } },
  });
  if (secretSchema === undefined) throw new Error('the Secret block schema is not registered');
  const block = await call<{ id: string }>(api, 'POST', '/block_documents/', {
    name: SEED.block,
    block_type_id: secretType.id,
    block_schema_id: secretSchema.id,
    data: { value: 'hunter2' },
  });

  await call(api, 'POST', '/variables/', { name: SEED.variable, value: SEED.variableValue, tags: ['ui'] });
  const tagLimit = await call<{ id: string }>(api, 'POST', '/concurrency_limits/', {
    tag: SEED.tagLimit,
    concurrency_limit: 3,
  });
  await call(api, 'POST', '/v2/concurrency_limits/', { name: SEED.globalLimit, limit: 5 });
  const automation = await call<{ id: string }>(api, 'POST', '/automations/', {
    name: SEED.automation,
    description: 'Says nothing when a run fails',
    enabled: true,
    trigger: {
      type: 'event',
      posture: 'Reactive',
      match: { 'prefect.resource.id': 'prefect.flow-run.*' },
      match_related: {},
      expect: ['prefect.flow-run.Failed'],
      after: [],
      for_each: ['prefect.resource.id'],
      threshold: 1,
      within: 0,
    },
    actions: [{ type: 'do-nothing' }],
  });

  return {
    flowId: flow.id,
    deploymentId: deployment.id,
    completedRunId: completed.id,
    runningRunId: running.id,
    subflowRunId: subflow.id,
    taskRunId: task.id,
    artifactId: artifact.id,
    blockDocumentId: block.id,
    tagLimitId: tagLimit.id,
    automationId: automation.id,
  };
}
