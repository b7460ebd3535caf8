import { SqlMigration } from './sql-migration';

/**
 * Work pools, work queues, workers, deployments and their schedules (spec-api-orchestration §2.2,
 * §2.3), plus the flow_run → work_queue foreign key that had to wait for work_queue.
 */
export class WorkPoolsAndDeployments1795300100000 extends SqlMigration {
  name = 'WorkPoolsAndDeployments1795300100000';
  protected readonly upStatements = UP;
  protected readonly downStatements = DOWN;
}

const UP = [
  `CREATE TYPE deployment_status AS ENUM ('READY', 'NOT_READY')`,
  `CREATE TYPE work_pool_status AS ENUM ('READY', 'NOT_READY', 'PAUSED')`,
  `CREATE TYPE work_queue_status AS ENUM ('READY', 'NOT_READY', 'PAUSED')`,
  `CREATE TYPE worker_status AS ENUM ('ONLINE', 'OFFLINE')`,

  `CREATE TABLE work_pool (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    name text NOT NULL,
    description text,
    type text NOT NULL,
    base_job_template jsonb NOT NULL DEFAULT '{}',
    is_paused boolean NOT NULL DEFAULT false,
    default_queue_id uuid,
    concurrency_limit integer,
    status work_pool_status NOT NULL DEFAULT 'NOT_READY',
    last_transitioned_status_at timestamptz,
    last_status_event_id uuid,
    storage_configuration jsonb NOT NULL DEFAULT '{}',
    CONSTRAINT pk_work_pool PRIMARY KEY (id),
    CONSTRAINT uq_work_pool__name UNIQUE (name)
  )`,
  `CREATE INDEX ix_work_pool__updated ON work_pool (updated)`,
  `CREATE INDEX ix_work_pool__type ON work_pool (type)`,

  `CREATE TABLE work_queue (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    name text NOT NULL,
    description text NOT NULL DEFAULT '',
    is_paused boolean NOT NULL DEFAULT false,
    concurrency_limit integer,
    priority integer NOT NULL,
    last_polled timestamptz,
    status work_queue_status NOT NULL DEFAULT 'NOT_READY',
    filter jsonb,
    work_pool_id uuid NOT NULL,
    CONSTRAINT pk_work_queue PRIMARY KEY (id),
    CONSTRAINT uq_work_queue__work_pool_id_name UNIQUE (work_pool_id, name),
    CONSTRAINT fk_work_queue__work_pool_id__work_pool FOREIGN KEY (work_pool_id) REFERENCES work_pool (id) ON DELETE CASCADE
  )`,
  `CREATE INDEX ix_work_queue__updated ON work_queue (updated)`,
  `CREATE INDEX ix_work_queue__work_pool_id ON work_queue (work_pool_id)`,
  `CREATE INDEX ix_work_queue__work_pool_id_priority ON work_queue (work_pool_id, priority)`,
  `CREATE INDEX trgm_ix_work_queue_name ON work_queue USING gin (name gin_trgm_ops)`,
  // RESTRICT: a pool's default queue cannot be deleted from under it.
  `ALTER TABLE work_pool ADD CONSTRAINT fk_work_pool__default_queue_id__work_queue FOREIGN KEY (default_queue_id) REFERENCES work_queue (id) ON DELETE RESTRICT`,
  `ALTER TABLE flow_run ADD CONSTRAINT fk_flow_run__work_queue_id__work_queue FOREIGN KEY (work_queue_id) REFERENCES work_queue (id) ON DELETE SET NULL`,

  `CREATE TABLE worker (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    work_pool_id uuid NOT NULL,
    name text NOT NULL,
    last_heartbeat_time timestamptz NOT NULL DEFAULT now(),
    heartbeat_interval_seconds integer,
    status worker_status NOT NULL DEFAULT 'OFFLINE',
    CONSTRAINT pk_worker PRIMARY KEY (id),
    CONSTRAINT uq_worker__work_pool_id_name UNIQUE (work_pool_id, name),
    CONSTRAINT fk_worker__work_pool_id__work_pool FOREIGN KEY (work_pool_id) REFERENCES work_pool (id) ON DELETE CASCADE
  )`,
  `CREATE INDEX ix_worker__updated ON worker (updated)`,
  `CREATE INDEX ix_worker__work_pool_id ON worker (work_pool_id)`,
  // The foreman scans a pool's workers by heartbeat age.
  `CREATE INDEX ix_worker__work_pool_id_last_heartbeat_time ON worker (work_pool_id, last_heartbeat_time)`,

  // infra_overrides is exposed on the wire as job_variables (Prefect kept the old column name).
  `CREATE TABLE deployment (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    name text NOT NULL,
    version text,
    description text,
    flow_id uuid NOT NULL,
    work_queue_name text,
    work_queue_id uuid,
    infra_overrides jsonb NOT NULL DEFAULT '{}',
    path text,
    entrypoint text,
    pull_steps jsonb,
    parameters jsonb NOT NULL DEFAULT '{}',
    parameter_openapi_schema jsonb,
    enforce_parameter_schema boolean NOT NULL DEFAULT true,
    paused boolean NOT NULL DEFAULT false,
    tags jsonb NOT NULL DEFAULT '[]',
    labels jsonb,
    last_polled timestamptz,
    status deployment_status NOT NULL DEFAULT 'NOT_READY',
    concurrency_limit integer,
    concurrency_limit_id uuid,
    concurrency_options jsonb,
    created_by jsonb,
    updated_by jsonb,
    storage_document_id uuid,
    infrastructure_document_id uuid,
    CONSTRAINT pk_deployment PRIMARY KEY (id),
    CONSTRAINT fk_deployment__flow_id__flow FOREIGN KEY (flow_id) REFERENCES flow (id) ON DELETE CASCADE,
    CONSTRAINT fk_deployment__work_queue_id__work_queue FOREIGN KEY (work_queue_id) REFERENCES work_queue (id) ON DELETE SET NULL
  )`,
  `CREATE INDEX ix_deployment__updated ON deployment (updated)`,
  `CREATE UNIQUE INDEX uq_deployment__flow_id_name ON deployment (flow_id, name)`,
  `CREATE INDEX ix_deployment__created ON deployment (created)`,
  `CREATE INDEX ix_deployment__flow_id ON deployment (flow_id)`,
  `CREATE INDEX ix_deployment__work_queue_id ON deployment (work_queue_id)`,
  `CREATE INDEX ix_deployment__work_queue_name ON deployment (work_queue_name)`,
  `CREATE INDEX ix_deployment__paused ON deployment (paused)`,
  `CREATE INDEX trgm_ix_deployment_name ON deployment USING gin (name gin_trgm_ops)`,

  `CREATE TABLE deployment_schedule (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    deployment_id uuid NOT NULL,
    schedule jsonb NOT NULL,
    active boolean NOT NULL DEFAULT true,
    max_scheduled_runs integer,
    parameters jsonb NOT NULL DEFAULT '{}',
    slug text,
    CONSTRAINT pk_deployment_schedule PRIMARY KEY (id),
    CONSTRAINT fk_deployment_schedule__deployment_id__deployment FOREIGN KEY (deployment_id) REFERENCES deployment (id) ON DELETE CASCADE
  )`,
  `CREATE INDEX ix_deployment_schedule__updated ON deployment_schedule (updated)`,
  `CREATE INDEX ix_deployment_schedule__deployment_id ON deployment_schedule (deployment_id)`,
  `CREATE UNIQUE INDEX ix_deployment_schedule__deployment_id__slug ON deployment_schedule (deployment_id, slug)`,
  `CREATE INDEX ix_deployment_schedule__slug ON deployment_schedule (slug)`,
];

const DOWN = [
  `DROP TABLE deployment_schedule`,
  `DROP TABLE deployment`,
  `DROP TABLE worker`,
  `ALTER TABLE flow_run DROP CONSTRAINT fk_flow_run__work_queue_id__work_queue`,
  `ALTER TABLE work_pool DROP CONSTRAINT fk_work_pool__default_queue_id__work_queue`,
  `DROP TABLE work_queue`,
  `DROP TABLE work_pool`,
  `DROP TYPE worker_status`,
  `DROP TYPE work_queue_status`,
  `DROP TYPE work_pool_status`,
  `DROP TYPE deployment_status`,
];
