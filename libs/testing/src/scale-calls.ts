/**
 * The read calls the UI makes on its main pages (dashboard, runs, flows, deployments, work pool,
 * run graph, events, artifacts, blocks), with the filters and sorts it sends, against data shaped
 * by `fillScaleData`. Shared by the scale benchmark (tools/bench) and the index-use test.
 */

import { scaleGraphRun, scaleId, scalePoolName } from './scale-data';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface ScaleCall {
  /** The endpoint, as reported (one EXPLAIN each). */
  readonly endpoint: string;
  /** What this variant asks. */
  readonly variant: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
  /**
   * Set on a call no UI page sends, measured for information and left out of the latency targets:
   * why it is measured anyway.
   */
  readonly notFromUi?: string;
}

export interface ScaleIds {
  readonly flowRuns: number;
  readonly graphRun: string;
  readonly someRuns: string[];
  readonly flows: string[];
  readonly deployment: string;
  readonly pool: string;
}

/**
 * The rows the calls name, from the fill's ordinals: the run with 5 000 task runs, deployment 7,
 * flows 1–10, pool-1; `someRuns` are ids of existing runs the caller picked (200 at most).
 */
export function scaleIds(flowRuns: number, someRuns: string[]): ScaleIds {
  return {
    flowRuns,
    graphRun: scaleId('fr', scaleGraphRun(flowRuns)),
    someRuns,
    flows: Array.from({ length: 10 }, (_, k) => scaleId('fl', k + 1)),
    deployment: scaleId('dep', 7),
    pool: scalePoolName(1),
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The calls the UI makes on its dashboard, runs, flows, deployments, work-pool, run and event pages. */
export function scaleCalls(ids: ScaleIds): ScaleCall[] {
  const now = Date.now();
  const day = { after_: iso(now - DAY), before_: iso(now) };
  const week = { after_: iso(now - 7 * DAY), before_: iso(now) };
  const history = (days: number) => ({
    history_start: iso(now - days * DAY),
    history_end: iso(now),
    history_interval_seconds: 3600,
  });
  const failed = { state: { type: { any_: ['FAILED', 'CRASHED'] } } };
  const post = (endpoint: string, variant: string, body: unknown, path = endpoint): ScaleCall => ({
    endpoint,
    variant,
    method: 'POST',
    path: `/${path}`,
    body,
  });
  return [
    post('flow_runs/filter', 'default list (ID_DESC, 200)', { limit: 200 }),
    post('flow_runs/filter', 'dashboard: last day, START_TIME_DESC', {
      flow_runs: { start_time: day },
      sort: 'START_TIME_DESC',
      limit: 200,
    }),
    post('flow_runs/filter', 'FAILED+CRASHED, START_TIME_DESC', {
      flow_runs: failed,
      sort: 'START_TIME_DESC',
      limit: 200,
    }),
    post('flow_runs/filter', 'COMPLETED+FAILED, tag prod, 7 days', {
      flow_runs: {
        state: { type: { any_: ['COMPLETED', 'FAILED'] } },
        tags: { all_: ['prod'] },
        start_time: week,
      },
      sort: 'START_TIME_DESC',
      limit: 200,
    }),
    post('flow_runs/filter', 'one deployment, EXPECTED_START_TIME_DESC', {
      deployments: { id: { any_: [ids.deployment] } },
      sort: 'EXPECTED_START_TIME_DESC',
      limit: 200,
    }),
    post('flow_runs/filter', 'work pool runs tab (pool, START_TIME_DESC)', {
      work_pools: { name: { any_: [ids.pool] } },
      sort: 'START_TIME_DESC',
      limit: 200,
    }),
    post('flow_runs/filter', 'NAME_ASC', { sort: 'NAME_ASC', limit: 200 }),
    post('flow_runs/filter', 'offset 50 000, EXPECTED_START_TIME_DESC', {
      sort: 'EXPECTED_START_TIME_DESC',
      limit: 200,
      offset: 50_000,
    }),
    post('flow_runs/paginate', 'page 1 of 10, START_TIME_DESC', {
      sort: 'START_TIME_DESC',
      limit: 10,
      page: 1,
    }),
    post('flow_runs/paginate', 'page 500 of 100, EXPECTED_START_TIME_DESC', {
      sort: 'EXPECTED_START_TIME_DESC',
      limit: 100,
      page: 500,
    }),
    post('flow_runs/paginate', 'FAILED+CRASHED page 2', {
      flow_runs: failed,
      sort: 'START_TIME_DESC',
      limit: 10,
      page: 2,
    }),
    post('flow_runs/count', 'all', {}),
    post('flow_runs/count', 'FAILED+CRASHED', { flow_runs: failed }),
    post('flow_runs/count', 'last day by state type', {
      flow_runs: { start_time: day, state: { type: { any_: ['COMPLETED'] } } },
    }),
    post('flow_runs/history', '7 days hourly', history(7)),
    post('flow_runs/history', '1 day hourly, one deployment', {
      ...history(1),
      deployments: { id: { any_: [ids.deployment] } },
    }),
    post('flow_runs/lateness', 'last day, not terminal', {
      flow_runs: { expected_start_time: day, state: { type: { any_: ['SCHEDULED', 'PENDING', 'RUNNING'] } } },
    }),
    // The UI asks for lateness only on its work-pool cards: the pool's Late runs, within the
    // dashboard's window on the dashboard, all of them on the work pools page.
    post('flow_runs/lateness', 'work pools page: Late runs of one pool', {
      work_pools: { name: { any_: [ids.pool] } },
      flow_runs: { state: { name: { any_: ['Late'] } } },
    }),
    post('flow_runs/lateness', 'dashboard: Late runs of one pool, last day', {
      work_pools: { name: { any_: [ids.pool] } },
      flow_runs: { expected_start_time: day, state: { name: { any_: ['Late'] } } },
    }),
    post('ui/flow_runs/history', 'dashboard scatter, 7 days', {
      flow_runs: { expected_start_time: week },
      sort: 'EXPECTED_START_TIME_DESC',
      limit: 1000,
    }),
    post('ui/flow_runs/count-task-runs', '200 runs', { flow_run_ids: ids.someRuns }),
    post('task_runs/filter', 'default list (ID_DESC, 200)', { limit: 200 }),
    post('task_runs/filter', 'last day, EXPECTED_START_TIME_DESC', {
      task_runs: { start_time: day },
      sort: 'EXPECTED_START_TIME_DESC',
      limit: 200,
    }),
    post('task_runs/filter', 'one flow run', {
      flow_runs: { id: { any_: [ids.graphRun] } },
      sort: 'EXPECTED_START_TIME_DESC',
      limit: 200,
    }),
    post('task_runs/paginate', 'page 300 of 50', { sort: 'EXPECTED_START_TIME_DESC', limit: 50, page: 300 }),
    post('task_runs/count', 'all', {}),
    post('task_runs/count', 'dashboard: last day, FAILED', {
      task_runs: { start_time: day, state: { type: { any_: ['FAILED'] } } },
    }),
    post('task_runs/history', '7 days hourly', history(7)),
    post('task_runs/history', '1 day hourly', history(1)),
    post('flows/paginate', 'page 1, NAME_ASC', { sort: 'NAME_ASC', limit: 10, page: 1 }),
    post('flows/paginate', 'flows with FAILED runs', {
      flow_runs: failed,
      sort: 'NAME_ASC',
      limit: 10,
      page: 1,
    }),
    post('ui/flows/next-runs', '10 flows', { flow_ids: ids.flows }),
    post('ui/flows/count-deployments', '10 flows', { flow_ids: ids.flows }),
    post('deployments/paginate', 'page 1, NAME_ASC', { sort: 'NAME_ASC', limit: 10, page: 1 }),
    post('deployments/paginate', 'page 5, CREATED_DESC, tag prod', {
      deployments: { tags: { all_: ['prod'] } },
      sort: 'CREATED_DESC',
      limit: 10,
      page: 5,
    }),
    { endpoint: 'work_pools/{name}', variant: ids.pool, method: 'GET', path: `/work_pools/${ids.pool}` },
    post('work_pools/{name}/queues/filter', ids.pool, {}, `work_pools/${ids.pool}/queues/filter`),
    post('workers/filter', ids.pool, {}, `work_pools/${ids.pool}/workers/filter`),
    {
      endpoint: 'flow_runs/{id}/graph-v2',
      variant: '5 000 task runs',
      method: 'GET',
      path: `/flow_runs/${ids.graphRun}/graph-v2`,
    },
    post('logs/filter', 'one flow run, TIMESTAMP_ASC', {
      logs: { flow_run_id: { any_: [ids.someRuns[5]] }, level: { ge_: 0 } },
      sort: 'TIMESTAMP_ASC',
      limit: 200,
    }),
    post('logs/filter', 'all, TIMESTAMP_DESC', { sort: 'TIMESTAMP_DESC', limit: 200 }),
    post('events/filter', 'UI events page: last 7 days, newest first', {
      filter: { occurred: { since: iso(now - 7 * DAY), until: iso(now) }, order: 'DESC' },
      limit: 50,
    }),
    post('events/filter', 'last hour, newest first', {
      filter: { occurred: { since: iso(now - HOUR), until: iso(now) }, order: 'DESC' },
      limit: 50,
    }),
    post('events/filter', 'one flow run, last day', {
      filter: {
        occurred: { since: iso(now - DAY), until: iso(now) },
        any_resource: { id: [`prefect.flow-run.${ids.someRuns[0]}`] },
        order: 'DESC',
      },
      limit: 50,
    }),
    post('events/filter', 'flow-run events of one flow, last day', {
      filter: {
        occurred: { since: iso(now - DAY), until: iso(now) },
        event: { prefix: ['prefect.flow-run.'] },
        related: { id: [`prefect.flow.${ids.flows[0]}`] },
        order: 'DESC',
      },
      limit: 50,
    }),
    post(
      'events/count-by/{countable}',
      'event, last day',
      { filter: { occurred: { since: iso(now - DAY), until: iso(now) } } },
      'events/count-by/event',
    ),
    post(
      'events/count-by/{countable}',
      'time, last day by hour',
      {
        filter: { occurred: { since: iso(now - DAY), until: iso(now) } },
        time_unit: 'hour',
        time_interval: 1,
      },
      'events/count-by/time',
    ),
    post(
      'events/count-by/{countable}',
      'time, 7 days by hour',
      {
        filter: { occurred: { since: iso(now - 7 * DAY), until: iso(now) } },
        time_unit: 'hour',
        time_interval: 1,
      },
      'events/count-by/time',
    ),
    {
      ...post(
        'events/count-by/{countable}',
        'resource, last hour',
        { filter: { occurred: { since: iso(now - HOUR), until: iso(now) } } },
        'events/count-by/resource',
      ),
      // Both UIs count by event (the event-type filter) and by time (the events chart) only.
      notFromUi:
        'an API client may count by resource; every resource of the hour is one row (1.3 MB at 1 M runs)',
    },
    post('artifacts/filter', 'CREATED_DESC, 200', { sort: 'CREATED_DESC', limit: 200 }),
    post('artifacts/filter', 'one flow run', {
      artifacts: { flow_run_id: { any_: [ids.someRuns[3]] } },
      limit: 200,
    }),
    post('block_documents/filter', '200', { limit: 200 }),
  ];
}
