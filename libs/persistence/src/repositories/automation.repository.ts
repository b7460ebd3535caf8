import { Inject, Injectable } from '@nestjs/common';
import {
  type AutomationCriteria,
  type AutomationSort,
  Instant,
  type ListRequest,
  uuid7,
} from '@orrery/domain';
import type { AutomationAction, AutomationRecord, AutomationWrite, Trigger } from '@orrery/automations';
import { DataSource, type EntityManager } from 'typeorm';
import { automationListQuery } from '../filters';
import { DATA_SOURCE } from '../persistence.tokens';

/** The channel the triggers service LISTENs on (spec-services-events-ha §5.4). */
export const AUTOMATION_CHANGES_CHANNEL = 'prefect_automation_changes';

export type { AutomationRecord, AutomationWrite } from '@orrery/automations';

interface AutomationRow {
  id: string;
  created: string;
  updated: string;
  name: string;
  description: string;
  enabled: boolean;
  tags: string[];
  trigger: Trigger;
  actions: AutomationAction[];
  actions_on_trigger: AutomationAction[];
  actions_on_resolve: AutomationAction[];
}

const COLUMNS =
  'id, created, updated, name, description, enabled, tags, trigger, actions, actions_on_trigger, actions_on_resolve';
const QUALIFIED = COLUMNS.split(', ')
  .map((c) => `automation.${c}`)
  .join(', ');

/*
 * Automations (spec-services-events-ha §5.1). Serving indexes: pk_automation,
 * ix_automation_related_resource__resource_id (related-to, owned-by),
 * uq_automation_related_resource__automation_id__resource_id (relating, upsert target).
 * Every write also NOTIFYs prefect_automation_changes in its transaction (delivered on commit).
 */
const SQL = {
  insert: `INSERT INTO automation (id, name, description, enabled, tags, trigger, actions, actions_on_trigger, actions_on_resolve)
      VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::jsonb, $8::jsonb, $9::jsonb) RETURNING ${COLUMNS}`,
  byId: `SELECT ${COLUMNS} FROM automation WHERE id = $1`,
  replace: `WITH changed AS (UPDATE automation SET name = $2, description = $3, enabled = $4, tags = $5::jsonb,
        trigger = $6::jsonb, actions = $7::jsonb, actions_on_trigger = $8::jsonb, actions_on_resolve = $9::jsonb,
        updated = now() WHERE id = $1 RETURNING ${COLUMNS}) SELECT * FROM changed`,
  setEnabled: `WITH changed AS (UPDATE automation SET enabled = $2, updated = now() WHERE id = $1 RETURNING ${COLUMNS})
      SELECT * FROM changed`,
  delete: `WITH gone AS (DELETE FROM automation WHERE id = $1 RETURNING ${COLUMNS}) SELECT * FROM gone`,
  count: `SELECT count(*)::int AS count FROM automation`,
  // Deployment relations follow the actions; owner relations stay.
  unrelateDeployments: `DELETE FROM automation_related_resource WHERE automation_id = $1
      AND resource_id LIKE 'prefect.deployment.%' AND automation_owned_by_resource = false`,
  relate: `INSERT INTO automation_related_resource (automation_id, resource_id, automation_owned_by_resource)
      SELECT $1, unnest($2::text[]), $3
      ON CONFLICT (automation_id, resource_id) DO UPDATE SET
        automation_owned_by_resource = automation_related_resource.automation_owned_by_resource OR EXCLUDED.automation_owned_by_resource,
        updated = now()`,
  relatedTo: `SELECT ${QUALIFIED} FROM automation
      JOIN automation_related_resource r ON r.automation_id = automation.id
      WHERE r.resource_id = $1 ORDER BY automation.name, automation.id`,
  deleteOwnedBy: `WITH gone AS (DELETE FROM automation WHERE id IN (
        SELECT r.automation_id FROM automation_related_resource r JOIN automation a ON a.id = r.automation_id
        WHERE r.resource_id = $1 AND r.automation_owned_by_resource AND a.created < $2::timestamptz)
      RETURNING ${COLUMNS}) SELECT * FROM gone`,
  notify: `SELECT pg_notify('${AUTOMATION_CHANGES_CHANNEL}', $1)`,
} as const;

function toRecord(row: AutomationRow): AutomationRecord {
  return {
    id: row.id,
    created: Instant.parse(row.created),
    updated: Instant.parse(row.updated),
    name: row.name,
    description: row.description,
    enabled: row.enabled,
    tags: row.tags,
    trigger: row.trigger,
    actions: row.actions,
    actionsOnTrigger: row.actions_on_trigger,
    actionsOnResolve: row.actions_on_resolve,
  };
}

function writeParams(a: AutomationWrite): unknown[] {
  return [
    a.name,
    a.description,
    a.enabled,
    JSON.stringify(a.tags),
    JSON.stringify(a.trigger),
    JSON.stringify(a.actions),
    JSON.stringify(a.actionsOnTrigger),
    JSON.stringify(a.actionsOnResolve),
  ];
}

/** Automations and their related resources; writes run on the caller's transaction (outbox events). */
@Injectable()
export class AutomationRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async create(manager: EntityManager, automation: AutomationWrite): Promise<AutomationRecord> {
    const [row] = (await manager.query(SQL.insert, [uuid7(), ...writeParams(automation)])) as AutomationRow[];
    const record = toRecord(row!);
    await this.notify(manager, record.id, 'created');
    return record;
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<AutomationRecord | null> {
    const [row] = (await manager.query(SQL.byId, [id])) as AutomationRow[];
    return row === undefined ? null : toRecord(row);
  }

  async replace(
    manager: EntityManager,
    id: string,
    automation: AutomationWrite,
  ): Promise<AutomationRecord | null> {
    const [row] = (await manager.query(SQL.replace, [id, ...writeParams(automation)])) as AutomationRow[];
    if (row === undefined) return null;
    await this.notify(manager, id, 'updated');
    return toRecord(row);
  }

  async setEnabled(manager: EntityManager, id: string, enabled: boolean): Promise<AutomationRecord | null> {
    const [row] = (await manager.query(SQL.setEnabled, [id, enabled])) as AutomationRow[];
    if (row === undefined) return null;
    await this.notify(manager, id, 'updated');
    return toRecord(row);
  }

  async delete(manager: EntityManager, id: string): Promise<AutomationRecord | null> {
    const [row] = (await manager.query(SQL.delete, [id])) as AutomationRow[];
    if (row === undefined) return null;
    await this.notify(manager, id, 'deleted');
    return toRecord(row);
  }

  async list(request: ListRequest<AutomationCriteria, AutomationSort>): Promise<AutomationRecord[]> {
    const { sql, params } = automationListQuery(request, QUALIFIED);
    return ((await this.dataSource.query(sql, params)) as AutomationRow[]).map(toRecord);
  }

  /** Every automation (upstream's count takes no filter). */
  async count(): Promise<number> {
    const [row] = (await this.dataSource.query(SQL.count)) as { count: number }[];
    return row?.count ?? 0;
  }

  /** Relates the automation to the deployments its actions run (replacing earlier ones) and to extra resources. */
  async relate(
    manager: EntityManager,
    id: string,
    deploymentIds: readonly string[],
    owner: string | null,
  ): Promise<void> {
    await manager.query(SQL.unrelateDeployments, [id]);
    if (deploymentIds.length > 0) {
      await manager.query(SQL.relate, [id, deploymentIds.map((d) => `prefect.deployment.${d}`), false]);
    }
    if (owner !== null) await manager.query(SQL.relate, [id, [owner], true]);
  }

  async relatedTo(resourceId: string): Promise<AutomationRecord[]> {
    return ((await this.dataSource.query(SQL.relatedTo, [resourceId])) as AutomationRow[]).map(toRecord);
  }

  /** Deletes the automations the resource owns (created before `before`); returns them. */
  async deleteOwnedBy(
    manager: EntityManager,
    resourceId: string,
    before: Instant,
  ): Promise<AutomationRecord[]> {
    const rows = (await manager.query(SQL.deleteOwnedBy, [
      resourceId,
      before.toISOString(),
    ])) as AutomationRow[];
    for (const row of rows) await this.notify(manager, row.id, 'deleted');
    return rows.map(toRecord);
  }

  private async notify(
    manager: EntityManager,
    id: string,
    event: 'created' | 'updated' | 'deleted',
  ): Promise<void> {
    await manager.query(SQL.notify, [JSON.stringify({ automation_id: id, event_type: event })]);
  }
}
