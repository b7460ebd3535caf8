/*
 * What upstream Prefect returns for each writable resource created with a minimal body: the
 * defaults of its response model. Sources are PrefectHQ/prefect at ce79dd3d, or at the 3.8.3 tag
 * where a case or comment says so (src/prefect/server/schemas/core.py unless noted), one comment
 * per value. The round-trip test creates each resource through the API, reads it back and
 * compares these fields.
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

async function created(call: Call, url: string, path: string, body: Json | Json[]): Promise<Json> {
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

/** StateDetails' defaults (states.py:83-103) but the run ids, which each case fills itself. */
const STATE_DETAILS_DEFAULTS = {
  child_flow_run_id: null,
  scheduled_time: null,
  cache_key: null,
  cache_expiration: null,
  deferred: false,
  untrackable_result: false,
  pause_timeout: null,
  pause_reschedule: false,
  pause_key: null,
  run_input_keyset: null,
  refresh_cache: null,
  retriable: null,
  transition_id: null,
  task_parameters_id: null,
  traceparent: null,
  deployment_concurrency_lease_id: null,
};

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
      // 3.8.3: FlowRunCreate.job_variables default=None (actions.py:627) reaches the insert as None,
      // which the JSON column (none_as_null=True) leaves to its default=dict (database/orm_models.py:506);
      // the recorded 3.8.4 server answers {} (contract transcripts/flow-two-tasks.jsonl, seq 3).
      job_variables: {},
      // 3.8.3: FlowRun.empirical_policy default_factory=FlowRunPolicy (responses.py:225), whose
      // fields default to 0, 0, None, None, set(), False, None (core.py:104-131).
      empirical_policy: {
        max_retries: 0,
        retry_delay_seconds: 0,
        retries: null,
        retry_delay: null,
        pause_keys: [],
        resuming: false,
        retry_type: null,
      },
    },
  },
  {
    resource: 'flow run state set with a minimal body',
    create: async (call, u) => {
      const flow = await created(call, '/api/flows/', '/flows/', { name: `state-flow-${u}` });
      const run = await created(call, '/api/flow_runs/', '/flow_runs/', { flow_id: flow.id });
      await created(call, `/api/flow_runs/${id(run)}/set_state`, '/flow_runs/{id}/set_state', {
        state: { type: 'RUNNING' },
      });
      return run;
    },
    read: async (call, c) => {
      const run = await read(call, `/api/flow_runs/${id(c)}`, '/flow_runs/{id}');
      const state = run.state as Json;
      const { flow_run_id: flowRunId, ...details } = state.state_details as Json;
      return {
        ...state,
        state_details: details,
        state_of_this_run: flowRunId === c.id,
        created: run.created,
        updated: run.updated,
      };
    },
    // Sources: PrefectHQ/prefect 3.8.3 src/prefect/server/schemas/states.py and actions.py.
    expected: {
      type: 'RUNNING',
      name: 'Running', // StateCreate.default_name_from_type (actions.py:456-461)
      message: null, // StateCreate.message default=None (actions.py:444)
      data: null, // StateCreate.data default=None (actions.py:447)
      // StateCreate.state_details default_factory=StateDetails (actions.py:450), its fields as in
      // states.py:83-103; flow_run_id is the run's own id.
      state_details: {
        task_run_id: null,
        ...STATE_DETAILS_DEFAULTS,
      },
      state_of_this_run: true,
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
      // 3.8.3: DeploymentCreate's default_factory value is unset, so `model_dump(exclude_unset=True)`
      // (api/deployments.py:110) and the insert (models/deployments.py:158) leave the column to the
      // ORM default=dict (database/orm_models.py:877-879).
      parameter_openapi_schema: {},
      path: null, // Deployment.path default=None (core.py:657)
      entrypoint: null, // Deployment.entrypoint default=None (core.py:664)
      enforce_parameter_schema: true, // Deployment.enforce_parameter_schema default=True (core.py:692)
    },
  },
  {
    resource: 'flow run from a deployment (create_flow_run)',
    create: async (call, u) => {
      const flow = await created(call, '/api/flows/', '/flows/', { name: `dfr-flow-${u}` });
      const deployment = await created(call, '/api/deployments/', '/deployments/', {
        name: `dfr-${u}`,
        flow_id: flow.id,
      });
      return created(
        call,
        `/api/deployments/${id(deployment)}/create_flow_run`,
        '/deployments/{id}/create_flow_run',
        {},
      );
    },
    read: (call, c) => read(call, `/api/flow_runs/${id(c)}`, '/flow_runs/{id}'),
    // Sources: PrefectHQ/prefect 3.8.3 api/deployments.py create_flow_run_from_deployment and
    // DeploymentFlowRunCreate (actions.py:653-699).
    expected: {
      deployment_version: null, // the minimal deployment's version, None (api/deployments.py:967)
      parameters: {}, // the deployment's {} updated with DeploymentFlowRunCreate.parameters {} (actions.py:664)
      tags: [], // the deployment's tags united with DeploymentFlowRunCreate.tags [] (actions.py:678)
      context: {}, // DeploymentFlowRunCreate.context default_factory=dict (actions.py:672)
      idempotency_key: null, // DeploymentFlowRunCreate.idempotency_key default None (actions.py:683)
      parent_task_run_id: null, // DeploymentFlowRunCreate.parent_task_run_id default None (actions.py:695)
      work_queue_name: null, // the deployment's, None without a pool
      infrastructure_document_id: null, // neither the body nor the deployment has one
      job_variables: {}, // DeploymentFlowRunCreate.job_variables default_factory=dict (actions.py:697)
      state_type: 'SCHEDULED', // no state given: Scheduled (api/deployments.py:979-980)
      state_name: 'Scheduled',
      auto_scheduled: false, // FlowRun.auto_scheduled default=False (core.py:293)
      created_by: null, // no automation or user created it
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
    resource: 'work pool queue',
    create: async (call, u) => {
      const pool = await created(call, '/api/work_pools/', '/work_pools/', { name: `wpq-pool-${u}` });
      return created(
        call,
        `/api/work_pools/${String(pool.name)}/queues`,
        '/work_pools/{work_pool_name}/queues',
        {
          name: `wpq-${u}`,
        },
      );
    },
    read: (call, c) =>
      read(
        call,
        `/api/work_pools/${String(c.work_pool_name)}/queues/${String(c.name)}`,
        '/work_pools/{work_pool_name}/queues/{name}',
      ),
    // Sources: PrefectHQ/prefect 3.8.3.
    expected: {
      description: '', // WorkQueue.description default="" (core.py:997)
      is_paused: false, // WorkQueue.is_paused default=False (core.py:1000)
      concurrency_limit: null, // WorkQueue.concurrency_limit default=None (core.py:1003)
      // The new pool's default queue holds priority 1: the first free one is 2 (models/workers.py:537-555).
      priority: 2,
      filter: null, // WorkQueue.filter default=None (core.py:1016)
      last_polled: null, // WorkQueue.last_polled default=None (core.py:1021)
      status: 'NOT_READY', // ORM WorkQueue.status default=NOT_READY (database/orm_models.py:1135-1138)
      active_slots: null, // WorkQueueResponse.active_slots: None without a concurrency limit (responses.py:567)
    },
  },
  {
    resource: 'worker (heartbeat)',
    create: async (call, u) => {
      const pool = await created(call, '/api/work_pools/', '/work_pools/', { name: `hb-pool-${u}` });
      const answer = await call(
        'POST',
        `/api/work_pools/${String(pool.name)}/workers/heartbeat`,
        '/work_pools/{work_pool_name}/workers/heartbeat',
        { name: `worker-${u}` },
      );
      if (answer.status !== 204)
        throw new Error(`heartbeat → ${answer.status}: ${JSON.stringify(answer.body)}`);
      return { work_pool_name: pool.name };
    },
    read: async (call, c) => {
      const answer = await call(
        'POST',
        `/api/work_pools/${String(c.work_pool_name)}/workers/filter`,
        '/work_pools/{work_pool_name}/workers/filter',
        {},
      );
      const [worker] = answer.body as unknown as Json[];
      if (answer.status !== 200 || !worker)
        throw new Error(`workers/filter → ${answer.status}: ${JSON.stringify(answer.body)}`);
      return worker;
    },
    // Sources: PrefectHQ/prefect 3.8.3.
    expected: {
      // Worker.heartbeat_interval_seconds default=None (core.py:1193), written only when sent
      // (models/workers.py:1020-1021).
      heartbeat_interval_seconds: null,
      // The heartbeat stores ONLINE (models/workers.py:1018); a fresh heartbeat reads as ONLINE
      // (responses.py:603-637 WorkerResponse.model_validate).
      status: 'ONLINE',
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
  {
    resource: 'task run',
    create: (call, u) =>
      created(call, '/api/task_runs/', '/task_runs/', { task_key: `task-${u}`, dynamic_key: '0' }),
    read: (call, c) => read(call, `/api/task_runs/${id(c)}`, '/task_runs/{id}'),
    // Sources for this and the following cases: PrefectHQ/prefect 3.8.3.
    expected: {
      flow_run_id: null, // TaskRun.flow_run_id default=None (core.py:434)
      cache_key: null, // TaskRun.cache_key default=None (core.py:447)
      cache_expiration: null, // TaskRun.cache_expiration default=None (core.py:455)
      task_version: null, // TaskRun.task_version default=None (core.py:458)
      // TaskRun.empirical_policy default_factory=TaskRunPolicy (core.py:461): max_retries and
      // retry_delay_seconds default 0, retries, retry_delay, retry_jitter_factor None (core.py:349-372)
      empirical_policy: {
        max_retries: 0,
        retry_delay_seconds: 0,
        retries: null,
        retry_delay: null,
        retry_jitter_factor: null,
      },
      tags: [], // TaskRun.tags default_factory=list (core.py:464)
      // TaskRunCreate.labels default_factory=dict (actions.py:526); no flow run, so no system labels
      // are added (models/task_runs.py:570-588 with_system_labels_for_task_run)
      labels: {},
      task_inputs: {}, // TaskRun.task_inputs default_factory=dict (core.py:477)
      state_type: 'PENDING', // no state given: the run is created Pending (api/task_runs.py:75-76)
      state_name: 'Pending', // same (api/task_runs.py:75-76)
      run_count: 0, // TaskRun.run_count default=0 (core.py:491)
      flow_run_run_count: 0, // TaskRun.flow_run_run_count default=0 (core.py:494)
      start_time: null, // TaskRun.start_time default=None (core.py:512)
      end_time: null, // TaskRun.end_time default=None (core.py:515)
      total_run_time: 0, // TaskRun.total_run_time default=timedelta(0) (core.py:518)
    },
  },
  {
    resource: 'task run state set with a minimal body',
    create: async (call, u) => {
      const run = await created(call, '/api/task_runs/', '/task_runs/', {
        task_key: `state-${u}`,
        dynamic_key: '0',
      });
      await created(call, `/api/task_runs/${id(run)}/set_state`, '/task_runs/{id}/set_state', {
        state: { type: 'RUNNING' },
      });
      return run;
    },
    read: async (call, c) => {
      const run = await read(call, `/api/task_runs/${id(c)}`, '/task_runs/{id}');
      const state = run.state as Json;
      const { task_run_id: taskRunId, ...details } = state.state_details as Json;
      return {
        ...state,
        state_details: details,
        state_of_this_run: taskRunId === c.id,
        created: run.created,
        updated: run.updated,
      };
    },
    // As the flow run state above: StateCreate (actions.py:435-461) and StateDetails (states.py:82-103).
    expected: {
      type: 'RUNNING',
      name: 'Running',
      message: null,
      data: null,
      state_details: {
        flow_run_id: null,
        ...STATE_DETAILS_DEFAULTS,
      },
      state_of_this_run: true,
    },
  },
  {
    resource: 'block type',
    create: (call, u) =>
      created(call, '/api/block_types/', '/block_types/', { name: `bt-${u}`, slug: `bt-${u}` }),
    read: (call, c) => read(call, `/api/block_types/${id(c)}`, '/block_types/{id}'),
    expected: {
      logo_url: null, // BlockType.logo_url default=None (core.py:737)
      documentation_url: null, // BlockType.documentation_url default=None (core.py:740)
      description: null, // BlockType.description default=None (core.py:743)
      code_example: null, // BlockType.code_example default=None (core.py:747)
      is_protected: false, // BlockType.is_protected default=False (core.py:751)
    },
  },
  {
    resource: 'block schema',
    create: async (call, u) => {
      const blockType = await created(call, '/api/block_types/', '/block_types/', {
        name: `bs-${u}`,
        slug: `bs-${u}`,
      });
      return created(call, '/api/block_schemas/', '/block_schemas/', { block_type_id: blockType.id });
    },
    read: (call, c) => read(call, `/api/block_schemas/${id(c)}`, '/block_schemas/{id}'),
    expected: {
      fields: {}, // BlockSchemaCreate.fields default_factory=dict (actions.py:794)
      capabilities: [], // BlockSchemaCreate.capabilities default_factory=list (actions.py:799)
      version: 'non-versioned', // BlockSchemaCreate.version default=DEFAULT_BLOCK_SCHEMA_VERSION (actions.py:803, core.py:78)
    },
  },
  {
    resource: 'block document',
    create: async (call, u) => {
      const blockType = await created(call, '/api/block_types/', '/block_types/', {
        name: `bd-${u}`,
        slug: `bd-${u}`,
      });
      const schema = await created(call, '/api/block_schemas/', '/block_schemas/', {
        block_type_id: blockType.id,
        // Schemas are keyed by the checksum of their fields: equal fields would answer an existing one.
        fields: { title: `bd-${u}` },
      });
      return created(call, '/api/block_documents/', '/block_documents/', {
        name: `doc-${u}`,
        block_schema_id: schema.id,
        block_type_id: blockType.id,
      });
    },
    read: (call, c) => read(call, `/api/block_documents/${id(c)}`, '/block_documents/{id}'),
    expected: {
      data: {}, // BlockDocumentCreate.data default_factory=dict (actions.py:818)
      is_anonymous: false, // BlockDocumentCreate.is_anonymous default=False (actions.py:825)
      block_document_references: {}, // BlockDocument.block_document_references default_factory=dict (core.py:822)
    },
  },
  {
    resource: 'automation',
    create: (call, u) =>
      created(call, '/api/automations/', '/automations/', {
        name: `auto-${u}`,
        trigger: { type: 'event', posture: 'Reactive' },
        actions: [{ type: 'do-nothing' }],
      }),
    read: async (call, c) => {
      const automation = await read(call, `/api/automations/${id(c)}`, '/automations/{id}');
      // The trigger's id is generated (Trigger.id default_factory=uuid4, events/schemas/automations.py:74).
      const { id: triggerId, ...trigger } = automation.trigger as Json;
      return { ...automation, trigger, trigger_id_is_uuid: /^[0-9a-f-]{36}$/.test(String(triggerId)) };
    },
    // Sources: src/prefect/server/events/schemas/automations.py.
    expected: {
      description: '', // AutomationCore.description default="" (automations.py:509)
      enabled: true, // AutomationCore.enabled default=True (automations.py:513)
      tags: [], // AutomationCore.tags default_factory=list (automations.py:516)
      actions_on_trigger: [], // AutomationCore.actions_on_trigger default_factory=list (automations.py:534)
      actions_on_resolve: [], // AutomationCore.actions_on_resolve default_factory=list (automations.py:539)
      trigger: {
        type: 'event',
        posture: 'Reactive',
        match: {}, // ResourceTrigger.match default ResourceSpecification({}) (automations.py:239)
        match_related: {}, // ResourceTrigger.match_related default ResourceSpecification({}) (automations.py:243)
        after: [], // EventTrigger.after default_factory=set (automations.py:297)
        expect: [], // EventTrigger.expect default_factory=set (automations.py:305)
        for_each: [], // EventTrigger.for_each default_factory=set (automations.py:314)
        threshold: 1, // EventTrigger.threshold default 1 (automations.py:334)
        within: 0, // EventTrigger.within default timedelta(seconds=0) (automations.py:342)
      },
      trigger_id_is_uuid: true,
    },
  },
  {
    resource: 'log',
    create: async (call, u) => {
      // A timestamp of its own finds the log again: logs have no name filter.
      const timestamp = new Date(Date.UTC(2001, 0, 1) + Number.parseInt(u, 16)).toISOString();
      await created(call, '/api/logs/', '/logs/', [
        { name: `log-${u}`, level: 20, message: 'hello', timestamp },
      ]);
      return { timestamp };
    },
    read: async (call, c) => {
      const answer = await call('POST', '/api/logs/filter', '/logs/filter', {
        logs: { timestamp: { after_: c.timestamp, before_: c.timestamp } },
      });
      const [log] = answer.body as unknown as Json[];
      if (answer.status !== 200 || !log)
        throw new Error(`/logs/filter → ${answer.status}: ${JSON.stringify(answer.body)}`);
      return log;
    },
    expected: {
      flow_run_id: null, // Log.flow_run_id default=None (core.py:972)
      task_run_id: null, // Log.task_run_id default=None (core.py:975)
    },
  },
  {
    resource: 'flow run input',
    create: async (call, u) => {
      const flow = await created(call, '/api/flows/', '/flows/', { name: `input-flow-${u}` });
      const run = await created(call, '/api/flow_runs/', '/flow_runs/', { flow_id: flow.id });
      await created(call, `/api/flow_runs/${id(run)}/input`, '/flow_runs/{id}/input', {
        key: `key-${u}`,
        value: '"v"',
      });
      return { flow_run_id: run.id, key: `key-${u}` };
    },
    read: async (call, c) => {
      const answer = await call(
        'POST',
        `/api/flow_runs/${String(c.flow_run_id)}/input/filter`,
        '/flow_runs/{id}/input/filter',
        {
          prefix: c.key,
        },
      );
      const [input] = answer.body as unknown as Json[];
      if (answer.status !== 200 || !input)
        throw new Error(`input/filter → ${answer.status}: ${JSON.stringify(answer.body)}`);
      return input;
    },
    expected: {
      value: '"v"', // stored as sent (FlowRunInput.value: str, core.py:1326)
      sender: null, // FlowRunInput.sender default=None (core.py:1327)
    },
  },
  {
    resource: 'deployment schedule',
    create: async (call, u) => {
      const flow = await created(call, '/api/flows/', '/flows/', { name: `ds-flow-${u}` });
      const deployment = await created(call, '/api/deployments/', '/deployments/', {
        name: `ds-${u}`,
        flow_id: flow.id,
      });
      await created(call, `/api/deployments/${id(deployment)}/schedules`, '/deployments/{id}/schedules', [
        { schedule: { interval: 3600 } },
      ]);
      return deployment;
    },
    read: async (call, c) => {
      const answer = await call('GET', `/api/deployments/${id(c)}/schedules`, '/deployments/{id}/schedules');
      const [schedule] = answer.body as unknown as Json[];
      if (answer.status !== 200 || !schedule)
        throw new Error(`schedules → ${answer.status}: ${JSON.stringify(answer.body)}`);
      return schedule;
    },
    expected: {
      active: true, // DeploymentScheduleCreate.active default=True (actions.py:111)
      max_scheduled_runs: null, // DeploymentScheduleCreate.max_scheduled_runs default=None (actions.py:117)
      parameters: {}, // DeploymentScheduleCreate.parameters default_factory=dict (actions.py:121)
      slug: null, // DeploymentScheduleCreate.slug default=None (actions.py:124)
    },
  },
];
