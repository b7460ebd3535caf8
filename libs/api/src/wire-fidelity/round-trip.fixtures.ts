/*
 * What upstream Prefect returns for each writable resource created with a minimal body: the
 * defaults of its response model. Sources are PrefectHQ/prefect at ce79dd3d
 * (src/prefect/server/schemas/core.py unless noted), one comment per value. The round-trip test
 * creates each resource through the API, reads it back and compares these fields.
 */

type Json = Record<string, unknown>;

export interface RoundTripCase {
  /** Resource label in test names. */
  readonly resource: string;
  /** Creates the resource; answers the created body (its `id` or `name` reads it back). */
  readonly create: (call: Call, unique: string) => Promise<Json>;
  /** Reads it back. */
  readonly read: (call: Call, created: Json) => Promise<Json>;
  /** The values upstream returns for the minimal body. */
  readonly expected: Json;
}

export type Call = (
  method: string,
  url: string,
  path: string,
  body?: unknown,
) => Promise<{ status: number; body: Json }>;

async function created(call: Call, url: string, path: string, body: Json): Promise<Json> {
  const answer = await call('POST', url, path, body);
  if (answer.status !== 201 && answer.status !== 200) {
    throw new Error(`${url} → ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  return answer.body;
}

async function read(call: Call, url: string, path: string): Promise<Json> {
  const answer = await call('GET', url, path);
  if (answer.status !== 200) throw new Error(`${url} → ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

const id = (body: Json): string => String(body.id);

export const ROUND_TRIP_CASES: readonly RoundTripCase[] = [
  {
    resource: 'flow',
    create: (call, u) => created(call, '/api/flows/', '/flows/', { name: `flow-${u}` }),
    read: (call, c) => read(call, `/api/flows/${id(c)}`, '/flows/{id}'),
    expected: {
      tags: [], // Flow.tags default_factory=list (core.py:89)
      labels: {}, // FlowCreate.labels default_factory=dict (actions.py:78), stored and returned as {}
    },
  },
  {
    resource: 'flow run',
    create: async (call, u) => {
      const flow = await created(call, '/api/flows/', '/flows/', { name: `run-flow-${u}` });
      return created(call, '/api/flow_runs/', '/flow_runs/', { flow_id: flow.id });
    },
    read: (call, c) => read(call, `/api/flow_runs/${id(c)}`, '/flow_runs/{id}'),
    expected: {
      deployment_id: null, // FlowRun.deployment_id default=None (core.py:200)
      work_queue_name: null, // FlowRun.work_queue_name default=None (core.py:211)
      flow_version: null, // FlowRun.flow_version default=None (core.py:214)
      parameters: {}, // FlowRun.parameters default_factory=dict (core.py:219)
      idempotency_key: null, // FlowRun.idempotency_key default=None (core.py:222)
      context: {}, // FlowRun.context default_factory=dict (core.py:229)
      tags: [], // FlowRun.tags default_factory=list (core.py:237)
      run_count: 0, // FlowRun.run_count default=0 (core.py:261)
      total_run_time: 0, // FlowRun.total_run_time default=timedelta(0) (core.py:278)
      auto_scheduled: false, // FlowRun.auto_scheduled default=False (core.py:293)
      infrastructure_pid: null, // FlowRun.infrastructure_pid default=None (core.py:301)
      created_by: null, // FlowRun.created_by default=None (core.py:305)
    },
  },
  {
    resource: 'deployment',
    create: async (call, u) => {
      const flow = await created(call, '/api/flows/', '/flows/', { name: `dep-flow-${u}` });
      return created(call, '/api/deployments/', '/deployments/', { name: `dep-${u}`, flow_id: flow.id });
    },
    read: (call, c) => read(call, `/api/deployments/${id(c)}`, '/deployments/{id}'),
    expected: {
      version: null, // Deployment.version default=None (core.py:594)
      description: null, // Deployment.description default=None (core.py:597)
      paused: false, // Deployment.paused default=False (core.py:603)
      schedules: [], // Deployment.schedules default_factory=list (core.py:606)
      concurrency_limit: null, // Deployment.concurrency_limit default=None (core.py:610)
      concurrency_options: null, // Deployment.concurrency_options default=None (core.py:617)
      job_variables: {}, // Deployment.job_variables default_factory=dict (core.py:620)
      parameters: {}, // Deployment.parameters default_factory=dict (core.py:624)
      pull_steps: null, // Deployment.pull_steps default=None (core.py:628)
      tags: [], // Deployment.tags default_factory=list (core.py:632)
      work_queue_name: null, // Deployment.work_queue_name default=None (core.py:642)
      path: null, // Deployment.path default=None (core.py:657)
      entrypoint: null, // Deployment.entrypoint default=None (core.py:664)
      enforce_parameter_schema: true, // Deployment.enforce_parameter_schema default=True (core.py:692)
    },
  },
  ...(
    [
      // schedules.py IntervalSchedule.validate_timezone → default_timezone: the anchor date's zone, "UTC" for offsets (validators.py:258-270)
      ['interval schedule', { interval: 3600, anchor_date: '2026-01-01T00:00:00Z' }, 'UTC'],
      // schedules.py CronSchedule.validate_timezone → default_timezone returns None without anchor_date (validators.py:272-273)
      ['cron schedule, timezone null', { cron: '0 9 * * *', timezone: null }, null],
      ['cron schedule, timezone absent', { cron: '0 9 * * *' }, null],
      // schedules.py RRuleSchedule: `timezone: Optional[TimeZone] = "UTC"` (schedules.py:550)
      ['rrule schedule, timezone absent', { rrule: 'FREQ=DAILY' }, 'UTC'],
      ['rrule schedule, timezone null', { rrule: 'FREQ=DAILY', timezone: null }, null],
    ] as const
  ).map(([label, schedule, timezone]): RoundTripCase => ({
    resource: `deployment with an ${label}`,
    create: async (call, u) => {
      const flow = await created(call, '/api/flows/', '/flows/', { name: `sched-flow-${u}` });
      return created(call, '/api/deployments/', '/deployments/', {
        name: `sched-${u}`,
        flow_id: flow.id,
        schedules: [{ schedule }],
      });
    },
    read: async (call, c) => {
      const deployment = await read(call, `/api/deployments/${id(c)}`, '/deployments/{id}');
      const [first] = deployment.schedules as {
        schedule: Json;
        active: unknown;
        max_scheduled_runs: unknown;
      }[];
      return {
        created: deployment.created,
        updated: deployment.updated,
        timezone: first?.schedule.timezone,
        active: first?.active,
        max_scheduled_runs: first?.max_scheduled_runs,
      };
    },
    expected: {
      timezone,
      active: true, // DeploymentSchedule.active default=True (core.py:560)
      max_scheduled_runs: null, // DeploymentSchedule.max_scheduled_runs default=None (core.py:563)
    },
  })),
  {
    resource: 'work pool',
    create: (call, u) => created(call, '/api/work_pools/', '/work_pools/', { name: `pool-${u}` }),
    read: (call, c) => read(call, `/api/work_pools/${String(c.name)}`, '/work_pools/{name}'),
    expected: {
      description: null, // WorkPool.description default=None (core.py:1132)
      type: 'prefect-agent', // WorkPoolCreate.type default="prefect-agent" (actions.py WorkPoolCreate)
      base_job_template: {}, // WorkPool.base_job_template default_factory=dict (core.py:1136)
      is_paused: false, // WorkPool.is_paused default=False (core.py:1139)
      concurrency_limit: null, // WorkPool.concurrency_limit default=None (core.py:1143)
    },
  },
  {
    resource: 'work queue',
    create: (call, u) => created(call, '/api/work_queues/', '/work_queues/', { name: `queue-${u}` }),
    read: (call, c) => read(call, `/api/work_queues/${id(c)}`, '/work_queues/{id}'),
    expected: {
      description: '', // WorkQueue.description default="" (core.py:997)
      is_paused: false, // WorkQueue.is_paused default=False (core.py:1000)
      concurrency_limit: null, // WorkQueue.concurrency_limit default=None (core.py:1003)
      // The legacy route puts the queue in the default pool, whose default queue holds priority 1:
      // the first free priority is 2 (models/workers.py:537-557 create_work_queue).
      priority: 2,
      filter: null, // WorkQueue.filter default=None (core.py:1016)
      last_polled: null, // WorkQueue.last_polled default=None (core.py:1021)
    },
  },
  {
    resource: 'variable',
    create: (call, u) => created(call, '/api/variables/', '/variables/', { name: `var_${u}`, value: 1 }),
    read: (call, c) => read(call, `/api/variables/${id(c)}`, '/variables/{id}'),
    expected: { tags: [] }, // Variable.tags default_factory=list (core.py:1314)
  },
  {
    resource: 'artifact',
    create: (call) => created(call, '/api/artifacts/', '/artifacts/', {}),
    read: (call, c) => read(call, `/api/artifacts/${id(c)}`, '/artifacts/{id}'),
    expected: {
      key: null, // Artifact.key default=None (core.py:1206)
      type: null, // Artifact.type default=None (core.py:1209)
      description: null, // Artifact.description default=None (core.py:1216)
      data: null, // Artifact.data default=None (core.py:1220)
      metadata_: null, // Artifact.metadata_ default=None (core.py:1227)
      flow_run_id: null, // Artifact.flow_run_id default=None (core.py:1234)
      task_run_id: null, // Artifact.task_run_id default=None (core.py:1237)
    },
  },
  {
    // The response model is GlobalConcurrencyLimitResponse (responses.py): no denied_slots or
    // avg_slot_occupancy_seconds on the wire.
    resource: 'global concurrency limit (v2)',
    create: (call, u) =>
      created(call, '/api/v2/concurrency_limits/', '/v2/concurrency_limits/', { name: `gcl-${u}`, limit: 2 }),
    read: (call, c) =>
      read(call, `/api/v2/concurrency_limits/${id(c)}`, '/v2/concurrency_limits/{id_or_name}'),
    expected: {
      active: true, // ConcurrencyLimitV2.active default=True (core.py:716)
      active_slots: 0, // ConcurrencyLimitV2.active_slots default=0 (core.py:721)
      slot_decay_per_second: 0, // ConcurrencyLimitV2.slot_decay_per_second default=0 (core.py:723)
    },
  },
  {
    resource: 'tag concurrency limit (v1)',
    create: (call, u) =>
      created(call, '/api/concurrency_limits/', '/concurrency_limits/', {
        tag: `tag-${u}`,
        concurrency_limit: 2,
      }),
    read: (call, c) => read(call, `/api/concurrency_limits/${id(c)}`, '/concurrency_limits/{id}'),
    expected: { active_slots: [] }, // ConcurrencyLimit.active_slots default_factory=list (core.py:707)
  },
  {
    resource: 'saved search',
    create: async (call, u) => {
      const answer = await call('PUT', '/api/saved_searches/', '/saved_searches/', { name: `search-${u}` });
      if (answer.status !== 201 && answer.status !== 200) throw new Error(JSON.stringify(answer.body));
      return answer.body;
    },
    read: (call, c) => read(call, `/api/saved_searches/${id(c)}`, '/saved_searches/{id}'),
    expected: { filters: [] }, // SavedSearch.filters default_factory=list (core.py:959)
  },
];
