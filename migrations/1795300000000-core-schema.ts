import { SqlMigration } from './sql-migration';

/**
 * Flows, flow runs, task runs, their states, run inputs, the task cache, artifacts and logs
 * (spec-api-orchestration §2.1 and the log/artifact rows of §2.4).
 *
 * Foreign keys towards tables created by later migrations (work_queue, block_document) are added by
 * those migrations. pg_trgm is created here and deliberately left in place on down(): it may
 * pre-date Orrery in this database.
 */
export class CoreSchema1795300000000 extends SqlMigration {
  name = 'CoreSchema1795300000000';
  protected readonly upStatements = UP;
  protected readonly downStatements = DOWN;
}

const UP = [
  `CREATE EXTENSION IF NOT EXISTS pg_trgm`,
  `CREATE TYPE state_type AS ENUM ('SCHEDULED', 'PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED', 'PAUSED', 'CANCELLING')`,

  `CREATE TABLE flow (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    name text NOT NULL,
    tags jsonb NOT NULL DEFAULT '[]',
    labels jsonb,
    CONSTRAINT pk_flow PRIMARY KEY (id),
    CONSTRAINT uq_flow__name UNIQUE (name)
  )`,
  `CREATE INDEX ix_flow__updated ON flow (updated)`,
  `CREATE INDEX ix_flow__created ON flow (created)`,
  `CREATE INDEX trgm_ix_flow_name ON flow USING gin (name gin_trgm_ops)`,

  `CREATE TABLE artifact (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    key text,
    type text,
    description text,
    data jsonb,
    metadata_ jsonb,
    flow_run_id uuid,
    task_run_id uuid,
    CONSTRAINT pk_artifact PRIMARY KEY (id)
  )`,
  `CREATE INDEX ix_artifact__updated ON artifact (updated)`,
  `CREATE INDEX ix_artifact__key ON artifact (key)`,
  // Covers "latest artifact per key" without touching the heap (Prefect's INCLUDE list).
  `CREATE INDEX ix_artifact__key_created_desc ON artifact (key, created DESC) INCLUDE (id, updated, type, task_run_id, flow_run_id)`,
  `CREATE INDEX ix_artifact__flow_run_id ON artifact (flow_run_id)`,
  `CREATE INDEX ix_artifact__task_run_id ON artifact (task_run_id)`,

  `CREATE TABLE artifact_collection (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    key text NOT NULL,
    latest_id uuid NOT NULL,
    type text,
    description text,
    data jsonb,
    metadata_ jsonb,
    flow_run_id uuid,
    task_run_id uuid,
    CONSTRAINT pk_artifact_collection PRIMARY KEY (id),
    CONSTRAINT uq_artifact_collection__key UNIQUE (key)
  )`,
  `CREATE INDEX ix_artifact_collection__updated ON artifact_collection (updated)`,
  `CREATE INDEX ix_artifact_collection__key_latest_id ON artifact_collection (key, latest_id)`,

  `CREATE TABLE flow_run (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    name text NOT NULL,
    state_type state_type,
    state_name text,
    state_timestamp timestamptz,
    run_count integer NOT NULL DEFAULT 0,
    expected_start_time timestamptz,
    next_scheduled_start_time timestamptz,
    start_time timestamptz,
    end_time timestamptz,
    total_run_time interval NOT NULL DEFAULT '00:00:00',
    flow_id uuid NOT NULL,
    deployment_id uuid,
    deployment_version text,
    work_queue_name text,
    flow_version text,
    parameters jsonb NOT NULL DEFAULT '{}',
    idempotency_key text,
    context jsonb NOT NULL DEFAULT '{}',
    empirical_policy jsonb NOT NULL DEFAULT '{}',
    tags jsonb NOT NULL DEFAULT '[]',
    labels jsonb,
    created_by jsonb,
    infrastructure_pid text,
    job_variables jsonb DEFAULT '{}',
    infrastructure_document_id uuid,
    parent_task_run_id uuid,
    auto_scheduled boolean NOT NULL DEFAULT false,
    state_id uuid,
    work_queue_id uuid,
    CONSTRAINT pk_flow_run PRIMARY KEY (id),
    CONSTRAINT fk_flow_run__flow_id__flow FOREIGN KEY (flow_id) REFERENCES flow (id) ON DELETE CASCADE
  )`,
  `CREATE INDEX ix_flow_run__updated ON flow_run (updated)`,
  // Scheduler idempotency: ON CONFLICT (flow_id, idempotency_key) DO NOTHING.
  `CREATE UNIQUE INDEX uq_flow_run__flow_id_idempotency_key ON flow_run (flow_id, idempotency_key)`,
  `CREATE INDEX ix_flow_run__flow_id ON flow_run (flow_id)`,
  `CREATE INDEX ix_flow_run__deployment_id ON flow_run (deployment_id)`,
  `CREATE INDEX ix_flow_run__work_queue_name ON flow_run (work_queue_name)`,
  `CREATE INDEX ix_flow_run__flow_version ON flow_run (flow_version)`,
  `CREATE INDEX ix_flow_run__deployment_version ON flow_run (deployment_version)`,
  `CREATE INDEX ix_flow_run__parent_task_run_id ON flow_run (parent_task_run_id)`,
  `CREATE INDEX ix_flow_run__state_id ON flow_run (state_id)`,
  `CREATE INDEX ix_flow_run__work_queue_id ON flow_run (work_queue_id)`,
  `CREATE INDEX ix_flow_run__infrastructure_document_id ON flow_run (infrastructure_document_id)`,
  `CREATE INDEX ix_flow_run__name ON flow_run (name)`,
  `CREATE INDEX ix_flow_run__state_type ON flow_run (state_type)`,
  `CREATE INDEX ix_flow_run__state_name ON flow_run (state_name)`,
  `CREATE INDEX ix_flow_run__state_timestamp ON flow_run (state_timestamp)`,
  `CREATE INDEX ix_flow_run__start_time ON flow_run (start_time)`,
  `CREATE INDEX ix_flow_run__end_time_desc ON flow_run (end_time DESC)`,
  `CREATE INDEX ix_flow_run__expected_start_time_desc ON flow_run (expected_start_time DESC)`,
  `CREATE INDEX ix_flow_run__next_scheduled_start_time_asc ON flow_run (next_scheduled_start_time ASC)`,
  // The UI's default sort (START_TIME_DESC / _ASC) orders by coalesce(start_time, expected_start_time).
  `CREATE INDEX ix_flow_run__coalesce_start_time_expected_start_time_asc ON flow_run ((COALESCE(start_time, expected_start_time)) ASC)`,
  `CREATE INDEX ix_flow_run__coalesce_start_time_expected_start_time_desc ON flow_run ((COALESCE(start_time, expected_start_time)) DESC)`,
  // Scheduler and late-runs: future SCHEDULED runs of a deployment (name truncated to 63 bytes, as Prefect's).
  `CREATE INDEX ix_flow_run__scheduler_deployment_id_auto_scheduled_next_schedu ON flow_run (deployment_id, auto_scheduled, next_scheduled_start_time) WHERE state_type = 'SCHEDULED'`,
  // Scheduler "is this schedule short of runs": created_by->>'id' is the deployment_schedule id.
  `CREATE INDEX ix_flow_run__schedule_id_scheduler ON flow_run (deployment_id, (created_by ->> 'id'), next_scheduled_start_time) WHERE state_type = 'SCHEDULED' AND auto_scheduled = true`,
  `CREATE INDEX trgm_ix_flow_run_name ON flow_run USING gin (name gin_trgm_ops)`,

  `CREATE TABLE flow_run_state (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    flow_run_id uuid NOT NULL,
    type state_type NOT NULL,
    "timestamp" timestamptz NOT NULL DEFAULT now(),
    name text NOT NULL,
    message text,
    state_details jsonb NOT NULL DEFAULT '{}',
    data jsonb,
    result_artifact_id uuid,
    CONSTRAINT pk_flow_run_state PRIMARY KEY (id),
    CONSTRAINT fk_flow_run_state__flow_run_id__flow_run FOREIGN KEY (flow_run_id) REFERENCES flow_run (id) ON DELETE CASCADE,
    CONSTRAINT fk_flow_run_state__result_artifact_id__artifact FOREIGN KEY (result_artifact_id) REFERENCES artifact (id) ON DELETE SET NULL
  )`,
  `CREATE INDEX ix_flow_run_state__updated ON flow_run_state (updated)`,
  // State timestamps are unique per run at the microsecond (orchestration bumps on collision).
  `CREATE UNIQUE INDEX uq_flow_run_state__flow_run_id_timestamp_desc ON flow_run_state (flow_run_id, "timestamp" DESC)`,
  `CREATE INDEX ix_flow_run_state__type ON flow_run_state (type)`,
  `CREATE INDEX ix_flow_run_state__name ON flow_run_state (name)`,
  `CREATE INDEX ix_flow_run_state__result_artifact_id ON flow_run_state (result_artifact_id)`,
  `ALTER TABLE flow_run ADD CONSTRAINT fk_flow_run__state_id__flow_run_state FOREIGN KEY (state_id) REFERENCES flow_run_state (id) ON DELETE SET NULL`,

  `CREATE TABLE task_run (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    name text NOT NULL,
    state_type state_type,
    state_name text,
    state_timestamp timestamptz,
    run_count integer NOT NULL DEFAULT 0,
    expected_start_time timestamptz,
    next_scheduled_start_time timestamptz,
    start_time timestamptz,
    end_time timestamptz,
    total_run_time interval NOT NULL DEFAULT '00:00:00',
    flow_run_id uuid,
    task_key text NOT NULL,
    dynamic_key text NOT NULL,
    cache_key text,
    cache_expiration timestamptz,
    task_version text,
    flow_run_run_count integer NOT NULL DEFAULT 0,
    empirical_policy jsonb NOT NULL DEFAULT '{}',
    task_inputs jsonb NOT NULL DEFAULT '{}',
    tags jsonb NOT NULL DEFAULT '[]',
    labels jsonb,
    state_id uuid,
    CONSTRAINT pk_task_run PRIMARY KEY (id),
    CONSTRAINT fk_task_run__flow_run_id__flow_run FOREIGN KEY (flow_run_id) REFERENCES flow_run (id) ON DELETE CASCADE
  )`,
  `CREATE INDEX ix_task_run__updated ON task_run (updated)`,
  // TaskRunRecorder natural key; rows without a flow run are not constrained (NULLs are distinct).
  `CREATE UNIQUE INDEX uq_task_run__flow_run_id_task_key_dynamic_key ON task_run (flow_run_id, task_key, dynamic_key)`,
  `CREATE INDEX ix_task_run__flow_run_id ON task_run (flow_run_id)`,
  `CREATE INDEX ix_task_run__state_id ON task_run (state_id)`,
  `CREATE INDEX ix_task_run__name ON task_run (name)`,
  `CREATE INDEX ix_task_run__state_type ON task_run (state_type)`,
  `CREATE INDEX ix_task_run__state_type_start_time ON task_run (state_type, start_time)`,
  `CREATE INDEX ix_task_run__state_name ON task_run (state_name)`,
  `CREATE INDEX ix_task_run__state_timestamp ON task_run (state_timestamp)`,
  `CREATE INDEX ix_task_run__start_time ON task_run (start_time)`,
  `CREATE INDEX ix_task_run__end_time_desc ON task_run (end_time DESC)`,
  `CREATE INDEX ix_task_run__expected_start_time_desc ON task_run (expected_start_time DESC)`,
  `CREATE INDEX ix_task_run__next_scheduled_start_time_asc ON task_run (next_scheduled_start_time ASC)`,
  `CREATE INDEX trgm_ix_task_run_name ON task_run USING gin (name gin_trgm_ops)`,
  `ALTER TABLE flow_run ADD CONSTRAINT fk_flow_run__parent_task_run_id__task_run FOREIGN KEY (parent_task_run_id) REFERENCES task_run (id) ON DELETE SET NULL`,

  // task_run.state_id deliberately has no foreign key (Prefect dropped it for delete performance).
  `CREATE TABLE task_run_state (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    task_run_id uuid NOT NULL,
    type state_type NOT NULL,
    "timestamp" timestamptz NOT NULL DEFAULT now(),
    name text NOT NULL,
    message text,
    state_details jsonb NOT NULL DEFAULT '{}',
    data jsonb,
    result_artifact_id uuid,
    CONSTRAINT pk_task_run_state PRIMARY KEY (id),
    CONSTRAINT fk_task_run_state__task_run_id__task_run FOREIGN KEY (task_run_id) REFERENCES task_run (id) ON DELETE CASCADE,
    CONSTRAINT fk_task_run_state__result_artifact_id__artifact FOREIGN KEY (result_artifact_id) REFERENCES artifact (id) ON DELETE SET NULL
  )`,
  `CREATE INDEX ix_task_run_state__updated ON task_run_state (updated)`,
  `CREATE UNIQUE INDEX uq_task_run_state__task_run_id_timestamp_desc ON task_run_state (task_run_id, "timestamp" DESC)`,
  `CREATE INDEX ix_task_run_state__type ON task_run_state (type)`,
  `CREATE INDEX ix_task_run_state__name ON task_run_state (name)`,
  `CREATE INDEX ix_task_run_state__result_artifact_id ON task_run_state (result_artifact_id)`,

  `CREATE TABLE task_run_state_cache (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    cache_key text NOT NULL,
    cache_expiration timestamptz,
    task_run_state_id uuid NOT NULL,
    CONSTRAINT pk_task_run_state_cache PRIMARY KEY (id)
  )`,
  `CREATE INDEX ix_task_run_state_cache__updated ON task_run_state_cache (updated)`,
  `CREATE INDEX ix_task_run_state_cache__cache_key_created_desc ON task_run_state_cache (cache_key, created DESC)`,

  `CREATE TABLE flow_run_input (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    flow_run_id uuid NOT NULL,
    key text NOT NULL,
    value text NOT NULL,
    sender text,
    CONSTRAINT pk_flow_run_input PRIMARY KEY (id),
    CONSTRAINT uq_flow_run_input__flow_run_id_key UNIQUE (flow_run_id, key),
    CONSTRAINT fk_flow_run_input__flow_run_id__flow_run FOREIGN KEY (flow_run_id) REFERENCES flow_run (id) ON DELETE CASCADE
  )`,
  `CREATE INDEX ix_flow_run_input__updated ON flow_run_input (updated)`,

  // No foreign keys: logs may arrive before (or outlive) their runs.
  `CREATE TABLE log (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    name text NOT NULL,
    level smallint NOT NULL,
    flow_run_id uuid,
    task_run_id uuid,
    message text NOT NULL,
    "timestamp" timestamptz NOT NULL,
    CONSTRAINT pk_log PRIMARY KEY (id)
  )`,
  `CREATE INDEX ix_log__updated ON log (updated)`,
  `CREATE INDEX ix_log__level ON log (level)`,
  `CREATE INDEX ix_log__flow_run_id ON log (flow_run_id)`,
  `CREATE INDEX ix_log__task_run_id ON log (task_run_id)`,
  `CREATE INDEX ix_log__timestamp ON log ("timestamp")`,
  `CREATE INDEX ix_log__flow_run_id_timestamp ON log (flow_run_id, "timestamp")`,
];

const DOWN = [
  `DROP TABLE log`,
  `DROP TABLE flow_run_input`,
  `DROP TABLE task_run_state_cache`,
  `ALTER TABLE flow_run DROP CONSTRAINT fk_flow_run__parent_task_run_id__task_run`,
  `ALTER TABLE flow_run DROP CONSTRAINT fk_flow_run__state_id__flow_run_state`,
  `DROP TABLE task_run_state`,
  `DROP TABLE task_run`,
  `DROP TABLE flow_run_state`,
  `DROP TABLE flow_run`,
  `DROP TABLE artifact_collection`,
  `DROP TABLE artifact`,
  `DROP TABLE flow`,
  `DROP TYPE state_type`,
];
