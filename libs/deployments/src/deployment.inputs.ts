import type { Labels } from '@orrery/persistence';

/** Who acts when an automation calls a use-case: `{id, type: "AUTOMATION", display_value}`. */
export interface AutomationActor {
  id: string;
  type: string;
  display_value: string;
}

/** Fields `DeploymentCreate` and `DeploymentUpdate` share (wire names; the API's DTOs implement these). */
interface DeploymentFieldsInput {
  version?: string | null;
  description?: string | null;
  paused?: boolean;
  schedules?: Record<string, unknown>[];
  concurrency_limit?: number | null;
  concurrency_options?: {
    collision_strategy: 'ENQUEUE' | 'CANCEL_NEW';
    grace_period_seconds?: number | null;
  } | null;
  global_concurrency_limit_id?: string | null;
  parameter_openapi_schema?: Record<string, unknown> | null;
  tags?: string[];
  pull_steps?: Record<string, unknown>[] | null;
  work_queue_name?: string | null;
  work_pool_name?: string | null;
  storage_document_id?: string | null;
  infrastructure_document_id?: string | null;
  path?: string | null;
  entrypoint?: string | null;
}

export interface DeploymentCreateInput extends DeploymentFieldsInput {
  name: string;
  flow_id: string;
  enforce_parameter_schema?: boolean;
  parameters?: Record<string, unknown>;
  labels?: Labels | null;
  job_variables?: Record<string, unknown>;
}

export interface DeploymentUpdateInput extends DeploymentFieldsInput {
  enforce_parameter_schema?: boolean | null;
  parameters?: Record<string, unknown> | null;
  job_variables?: Record<string, unknown> | null;
}

/** `DeploymentFlowRunCreate`: a run of a deployment, as `POST /deployments/{id}/create_flow_run` takes it. */
export interface DeploymentFlowRunInput {
  state?: unknown;
  name?: string | null;
  parameters?: Record<string, unknown>;
  enforce_parameter_schema?: boolean | null;
  context?: Record<string, unknown>;
  infrastructure_document_id?: string | null;
  empirical_policy?: Record<string, unknown>;
  tags?: string[];
  idempotency_key?: string | null;
  labels?: Labels | null;
  parent_task_run_id?: string | null;
  work_queue_name?: string | null;
  job_variables?: Record<string, unknown> | null;
}
