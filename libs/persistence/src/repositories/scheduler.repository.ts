import { Inject, Injectable } from '@nestjs/common';
import { completeStateDetails, type Instant, type Schedule, stateDetailsToWire } from '@orrery/domain';
import { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../persistence.tokens';
import type { Labels } from './flow.repository';

/** A deployment as the scheduler reads it, with its active schedules. */
export interface SchedulableDeployment {
  readonly id: string;
  readonly flowId: string;
  readonly version: string | null;
  readonly paused: boolean;
  readonly workQueueName: string | null;
  readonly workQueueId: string | null;
  readonly parameters: Record<string, unknown>;
  readonly tags: string[];
  readonly labels: Labels | null;
  readonly infrastructureDocumentId: string | null;
  readonly schedules: readonly SchedulableSchedule[];
}

export interface SchedulableSchedule {
  readonly id: string;
  readonly schedule: Schedule;
  readonly parameters: Record<string, unknown>;
  readonly slug: string | null;
}

/** One auto-scheduled run to insert with its initial Scheduled state. */
export interface NewScheduledRun {
  readonly id: string;
  readonly name: string;
  readonly flowId: string;
  readonly deploymentId: string;
  readonly deploymentVersion: string | null;
  readonly workQueueName: string | null;
  readonly workQueueId: string | null;
  readonly parameters: Record<string, unknown>;
  readonly infrastructureDocumentId: string | null;
  readonly idempotencyKey: string;
  readonly tags: string[];
  readonly labels: Labels;
  readonly autoScheduled: boolean;
  readonly createdBy: { id: string; type: string; display_value: string };
  /** The run's scheduled start: expected and next scheduled start time, and the state's scheduled_time. */
  readonly scheduledTime: Instant;
  readonly stateId: string;
  readonly stateTimestamp: Instant;
  readonly stateMessage: string;
}

/** A Scheduled state's `state_details` (wire form) but its `scheduled_time`, filled in per row by SQL. */
const STATE_DETAILS_TEMPLATE = JSON.stringify(stateDetailsToWire(completeStateDetails({})));

/** Both selections need at least one active schedule; paused deployments never qualify. */
const HAS_ACTIVE_SCHEDULE = `EXISTS (SELECT 1 FROM deployment_schedule s WHERE s.deployment_id = d.id AND s.active IS TRUE)`;

/*
 * The scheduler's statements (spec-services-events-ha §2.2). Serving indexes: pk_deployment (keyset
 * pages), ix_deployment_schedule__deployment_id, ix_flow_run__schedule_id_scheduler (a schedule's
 * future auto-scheduled runs, matched on created_by->>'id'), ix_deployment__updated (recent
 * deployments), uq_flow_run__flow_id_idempotency_key (the idempotent insert).
 */
const SQL = {
  // A schedule is short when it has fewer than $3 future auto-scheduled runs or its latest one is
  // before $4 (now + MIN_SCHEDULED_TIME). Judged per schedule, so a frequent schedule is topped up
  // even when a sibling schedule has runs far ahead.
  toSchedule: `SELECT d.id FROM deployment d
      WHERE d.paused IS NOT TRUE AND ($1::uuid IS NULL OR d.id > $1::uuid)
        AND EXISTS (
          SELECT 1 FROM deployment_schedule s
          WHERE s.deployment_id = d.id AND s.active IS TRUE
            AND (
              (SELECT count(*) FROM flow_run r
                WHERE r.deployment_id = s.deployment_id AND r.state_type = 'SCHEDULED'
                  AND r.auto_scheduled = true AND (r.created_by ->> 'id') = s.id::text
                  AND r.next_scheduled_start_time >= $2::timestamptz) < $3
              OR (SELECT max(r.next_scheduled_start_time) FROM flow_run r
                WHERE r.deployment_id = s.deployment_id AND r.state_type = 'SCHEDULED'
                  AND r.auto_scheduled = true AND (r.created_by ->> 'id') = s.id::text
                  AND r.next_scheduled_start_time >= $2::timestamptz) < $4::timestamptz))
      ORDER BY d.id
      LIMIT $5`,
  recentlyUpdated: `SELECT d.id FROM deployment d
      WHERE d.paused IS NOT TRUE AND d.updated >= $2::timestamptz AND ($1::uuid IS NULL OR d.id > $1::uuid)
        AND ${HAS_ACTIVE_SCHEDULE}
      ORDER BY d.id
      LIMIT $3`,
  deployments: `SELECT id, flow_id, version, paused, work_queue_name, work_queue_id, parameters, tags, labels,
        infrastructure_document_id
      FROM deployment WHERE id = ANY($1::uuid[]) ORDER BY id`,
  activeSchedules: `SELECT id, deployment_id, schedule, parameters, slug FROM deployment_schedule
      WHERE deployment_id = ANY($1::uuid[]) AND active IS TRUE
      ORDER BY deployment_id, updated DESC, id`,
  // One statement per batch: the runs that do not exist yet (by (flow_id, idempotency_key)) are
  // inserted pointing at their state, and exactly those runs get their state row. Racing schedulers
  // conflict on the unique index and skip the run; no run ever gets a second initial state.
  insertRuns: `WITH input AS (
        SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
          id uuid, name text, flow_id uuid, deployment_id uuid, deployment_version text,
          work_queue_name text, work_queue_id uuid, parameters jsonb, infrastructure_document_id uuid,
          idempotency_key text, tags jsonb, labels jsonb, auto_scheduled boolean, created_by jsonb,
          scheduled_time text, state_id uuid, state_timestamp timestamptz, state_message text)
      ),
      inserted AS (
        INSERT INTO flow_run (id, name, flow_id, deployment_id, deployment_version, work_queue_name,
          work_queue_id, parameters, infrastructure_document_id, idempotency_key, tags, labels,
          auto_scheduled, created_by, state_id, state_type, state_name, state_timestamp,
          expected_start_time, next_scheduled_start_time)
        SELECT id, name, flow_id, deployment_id, deployment_version, work_queue_name, work_queue_id,
          parameters, infrastructure_document_id, idempotency_key, tags, labels, auto_scheduled,
          created_by, state_id, 'SCHEDULED', 'Scheduled', state_timestamp, scheduled_time::timestamptz,
          scheduled_time::timestamptz
        FROM input
        ORDER BY flow_id, idempotency_key
        ON CONFLICT (flow_id, idempotency_key) DO NOTHING
        RETURNING id
      ),
      states AS (
        INSERT INTO flow_run_state (id, flow_run_id, type, "timestamp", name, message, state_details)
        SELECT i.state_id, i.id, 'SCHEDULED', i.state_timestamp, 'Scheduled', i.state_message,
          jsonb_set($2::jsonb, '{scheduled_time}', to_jsonb(i.scheduled_time))
        FROM input i JOIN inserted USING (id)
        RETURNING flow_run_id
      )
      SELECT flow_run_id AS id FROM states`,
} as const;

interface DeploymentRow {
  id: string;
  flow_id: string;
  version: string | null;
  paused: boolean;
  work_queue_name: string | null;
  work_queue_id: string | null;
  parameters: Record<string, unknown> | null;
  tags: string[] | null;
  labels: Labels | null;
  infrastructure_document_id: string | null;
}

interface ScheduleRow {
  id: string;
  deployment_id: string;
  schedule: Schedule;
  parameters: Record<string, unknown> | null;
  slug: string | null;
}

/** The scheduler's reads and its idempotent batch insert of auto-scheduled runs. */
@Injectable()
export class SchedulerRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** A keyset page (by id, after `afterId`) of unpaused deployments with an active schedule short of runs. */
  async deploymentsToSchedule(page: {
    afterId: string | null;
    limit: number;
    now: Instant;
    minRuns: number;
    minScheduledUntil: Instant;
  }): Promise<string[]> {
    const rows = (await this.dataSource.query(SQL.toSchedule, [
      page.afterId,
      page.now.toISOString(),
      page.minRuns,
      page.minScheduledUntil.toISOString(),
      page.limit,
    ])) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** A keyset page of unpaused deployments with an active schedule, updated at or after `since`. */
  async recentlyUpdatedDeployments(page: {
    afterId: string | null;
    limit: number;
    since: Instant;
  }): Promise<string[]> {
    const rows = (await this.dataSource.query(SQL.recentlyUpdated, [
      page.afterId,
      page.since.toISOString(),
      page.limit,
    ])) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** The deployments (in id order; missing ones left out) with their active schedules: two queries. */
  async loadForScheduling(ids: readonly string[]): Promise<SchedulableDeployment[]> {
    if (ids.length === 0) return [];
    const [deployments, schedules] = (await Promise.all([
      this.dataSource.query(SQL.deployments, [ids]),
      this.dataSource.query(SQL.activeSchedules, [ids]),
    ])) as [DeploymentRow[], ScheduleRow[]];
    const byDeployment = new Map<string, SchedulableSchedule[]>();
    for (const s of schedules) {
      const list = byDeployment.get(s.deployment_id) ?? [];
      list.push({ id: s.id, schedule: s.schedule, parameters: s.parameters ?? {}, slug: s.slug });
      byDeployment.set(s.deployment_id, list);
    }
    return deployments.map((d) => ({
      id: d.id,
      flowId: d.flow_id,
      version: d.version,
      paused: d.paused,
      workQueueName: d.work_queue_name,
      workQueueId: d.work_queue_id,
      parameters: d.parameters ?? {},
      tags: d.tags ?? [],
      labels: d.labels,
      infrastructureDocumentId: d.infrastructure_document_id,
      schedules: byDeployment.get(d.id) ?? [],
    }));
  }

  /**
   * Inserts the runs that do not exist yet, each with its Scheduled state, in one statement; returns
   * the ids inserted (a run whose (flow_id, idempotency_key) exists is skipped).
   */
  async insertScheduledRuns(runs: readonly NewScheduledRun[]): Promise<string[]> {
    if (runs.length === 0) return [];
    const input = runs.map((r) => ({
      id: r.id,
      name: r.name,
      flow_id: r.flowId,
      deployment_id: r.deploymentId,
      deployment_version: r.deploymentVersion,
      work_queue_name: r.workQueueName,
      work_queue_id: r.workQueueId,
      parameters: r.parameters,
      infrastructure_document_id: r.infrastructureDocumentId,
      idempotency_key: r.idempotencyKey,
      tags: r.tags,
      labels: r.labels,
      auto_scheduled: r.autoScheduled,
      created_by: r.createdBy,
      scheduled_time: r.scheduledTime.toISOString(),
      state_id: r.stateId,
      state_timestamp: r.stateTimestamp.toISOString(),
      state_message: r.stateMessage,
    }));
    const rows = (await this.dataSource.query(SQL.insertRuns, [
      JSON.stringify(input),
      STATE_DETAILS_TEMPLATE,
    ])) as { id: string }[];
    return rows.map((r) => r.id);
  }
}
