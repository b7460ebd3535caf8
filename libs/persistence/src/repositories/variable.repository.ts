import { Inject, Injectable } from '@nestjs/common';
import { Instant, type ListRequest, uuid7, type VariableCriteria, type VariableSort } from '@orrery/domain';
import { DataSource, type EntityManager } from 'typeorm';
import { variableCountQuery, variableListQuery } from '../filters';
import { DATA_SOURCE } from '../persistence.tokens';

export interface VariableRecord {
  readonly id: string;
  readonly created: Instant;
  readonly updated: Instant;
  readonly name: string;
  readonly value: unknown;
  readonly tags: string[];
}

/** The fields of a `PATCH /variables/…`: absent ones are left as they are. */
export interface VariableChanges {
  readonly name?: string;
  readonly value?: unknown;
  readonly tags?: string[];
}

/** Which variable a write addresses: by id (`/variables/{id}`) or by name (`/variables/name/{name}`). */
export type VariableLocator = { readonly id: string } | { readonly name: string };

interface VariableRow {
  id: string;
  created: string;
  updated: string;
  name: string;
  value: unknown;
  tags: string[];
}

const COLUMNS = 'id, created, updated, name, value, tags';
const QUALIFIED_COLUMNS =
  'variable.id, variable.created, variable.updated, variable.name, variable.value, variable.tags';

/*
 * Variables. Serving indexes: uq_variable__name (create, everything by name), pk_variable.
 * Writes that the caller must see the result of wrap the UPDATE/DELETE in a CTE, so every driver
 * returns plain rows (a bare UPDATE … RETURNING comes back as [rows, count] from TypeORM).
 */
const SQL = {
  insertIfAbsent: `INSERT INTO variable (id, name, value, tags) VALUES ($1, $2, $3::jsonb, $4::jsonb)
      ON CONFLICT (name) DO NOTHING
      RETURNING ${COLUMNS}`,
  byId: `SELECT ${COLUMNS} FROM variable WHERE id = $1`,
  byName: `SELECT ${COLUMNS} FROM variable WHERE name = $1`,
  deleteById: `WITH gone AS (DELETE FROM variable WHERE id = $1 RETURNING ${COLUMNS}) SELECT * FROM gone`,
  deleteByName: `WITH gone AS (DELETE FROM variable WHERE name = $1 RETURNING ${COLUMNS}) SELECT * FROM gone`,
} as const;

/** `UPDATE variable SET <present fields>, updated = now() WHERE <id|name> = $1`, returning the new row. */
function updateSql(locator: VariableLocator, changes: VariableChanges): { sql: string; params: unknown[] } {
  const params: unknown[] = ['id' in locator ? locator.id : locator.name];
  const set: string[] = [];
  if (changes.name !== undefined) {
    params.push(changes.name);
    set.push(`name = $${params.length}`);
  }
  if (changes.value !== undefined) {
    params.push(JSON.stringify(changes.value));
    set.push(`value = $${params.length}::jsonb`);
  }
  if (changes.tags !== undefined) {
    params.push(JSON.stringify(changes.tags));
    set.push(`tags = $${params.length}::jsonb`);
  }
  set.push('updated = now()');
  const where = 'id' in locator ? 'id = $1' : 'name = $1';
  return {
    sql: `WITH changed AS (UPDATE variable SET ${set.join(', ')} WHERE ${where} RETURNING ${COLUMNS})
      SELECT * FROM changed`,
    params,
  };
}

function toVariableRecord(row: VariableRow): VariableRecord {
  return { ...row, created: Instant.parse(row.created), updated: Instant.parse(row.updated) };
}

/**
 * Variables (spec-api-orchestration §2.4). Writes run on the caller's EntityManager so the
 * lifecycle event (`prefect.variable.*`) can go into the outbox of the same transaction.
 */
@Injectable()
export class VariableRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Returns null when a variable of that name exists already (nothing is written). */
  async create(
    manager: EntityManager,
    variable: { name: string; value: unknown; tags: string[] },
  ): Promise<VariableRecord | null> {
    const [row] = (await manager.query(SQL.insertIfAbsent, [
      uuid7(),
      variable.name,
      JSON.stringify(variable.value),
      JSON.stringify(variable.tags),
    ])) as VariableRow[];
    return row === undefined ? null : toVariableRecord(row);
  }

  async get(id: string): Promise<VariableRecord | null> {
    return this.one(this.dataSource.manager, SQL.byId, [id]);
  }

  async getByName(name: string): Promise<VariableRecord | null> {
    return this.one(this.dataSource.manager, SQL.byName, [name]);
  }

  /**
   * Writes the present fields and bumps `updated`; returns the row as it now is, or null when there
   * is no such variable. Renaming onto a taken name raises the unique violation (answered 409).
   */
  async update(
    manager: EntityManager,
    locator: VariableLocator,
    changes: VariableChanges,
  ): Promise<VariableRecord | null> {
    const { sql, params } = updateSql(locator, changes);
    return this.one(manager, sql, params);
  }

  /** Returns the deleted row, or null when there was none. */
  async delete(manager: EntityManager, locator: VariableLocator): Promise<VariableRecord | null> {
    return 'id' in locator
      ? this.one(manager, SQL.deleteById, [locator.id])
      : this.one(manager, SQL.deleteByName, [locator.name]);
  }

  /** `POST /variables/filter`: one statement (filters/list.queries.ts); NAME_* orders use uq_variable__name. */
  async list(request: ListRequest<VariableCriteria, VariableSort>): Promise<VariableRecord[]> {
    const { sql, params } = variableListQuery(request, QUALIFIED_COLUMNS);
    return ((await this.dataSource.query(sql, params)) as VariableRow[]).map(toVariableRecord);
  }

  async count(criteria: VariableCriteria): Promise<number> {
    const { sql, params } = variableCountQuery(criteria);
    const [row] = (await this.dataSource.query(sql, params)) as { count: number }[];
    return row?.count ?? 0;
  }

  private async one(manager: EntityManager, sql: string, params: unknown[]): Promise<VariableRecord | null> {
    const [row] = (await manager.query(sql, params)) as VariableRow[];
    return row === undefined ? null : toVariableRecord(row);
  }
}
