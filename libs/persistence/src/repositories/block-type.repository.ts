import { Inject, Injectable } from '@nestjs/common';
import { type BlockTypeCriteria, Instant, type ListRequest } from '@orrery/domain';
import { DataSource, type EntityManager } from 'typeorm';
import { blockTypeListQuery } from '../filters';
import { DATA_SOURCE } from '../persistence.tokens';

export interface BlockTypeRecord {
  readonly id: string;
  readonly created: Instant;
  readonly updated: Instant;
  readonly name: string;
  readonly slug: string;
  readonly logo_url: string | null;
  readonly documentation_url: string | null;
  readonly description: string | null;
  readonly code_example: string | null;
  readonly is_protected: boolean;
}

/** What a block type is created from (`BlockTypeCreate` plus `is_protected`). */
export interface BlockTypeValues {
  readonly name: string;
  readonly slug: string;
  readonly logo_url: string | null;
  readonly documentation_url: string | null;
  readonly description: string | null;
  readonly code_example: string | null;
  readonly is_protected: boolean;
}

/** `BlockTypeUpdate`: absent fields are left as they are. */
export interface BlockTypeChanges {
  readonly logo_url?: string | null;
  readonly documentation_url?: string | null;
  readonly description?: string | null;
  readonly code_example?: string | null;
}

export interface BlockTypeRow {
  id: string;
  created: string;
  updated: string;
  name: string;
  slug: string;
  logo_url: string | null;
  documentation_url: string | null;
  description: string | null;
  code_example: string | null;
  is_protected: boolean;
}

export const BLOCK_TYPE_COLUMNS =
  'block_type.id, block_type.created, block_type.updated, block_type.name, block_type.slug, block_type.logo_url, block_type.documentation_url, block_type.description, block_type.code_example, block_type.is_protected';

const CHANGEABLE = ['logo_url', 'documentation_url', 'description', 'code_example'] as const;

/*
 * Block types. Serving indexes: uq_block_type__slug (create, read by slug, registration),
 * pk_block_type, trgm_ix_block_type_name (name like_).
 */
const SQL = {
  insert: `INSERT INTO block_type (name, slug, logo_url, documentation_url, description, code_example, is_protected)
      VALUES ($1, $2, $3, $4, $5, $6, $7)
      ON CONFLICT (slug) DO NOTHING
      RETURNING ${BLOCK_TYPE_COLUMNS}`,
  // Registration on start from every replica at once: insert, or bring the row up to date, writing
  // only when something differs so a steady-state restart takes no row locks.
  register: `INSERT INTO block_type AS block_type (name, slug, logo_url, documentation_url, description, code_example, is_protected)
      VALUES ($1, $2, $3, $4, $5, $6, $7)
      ON CONFLICT (slug) DO UPDATE SET
        name = excluded.name, logo_url = excluded.logo_url, documentation_url = excluded.documentation_url,
        description = excluded.description, code_example = excluded.code_example,
        is_protected = excluded.is_protected, updated = now()
      WHERE (block_type.name, block_type.logo_url, block_type.documentation_url, block_type.description,
             block_type.code_example, block_type.is_protected)
        IS DISTINCT FROM (excluded.name, excluded.logo_url, excluded.documentation_url, excluded.description,
             excluded.code_example, excluded.is_protected)
      RETURNING (xmax = 0) AS inserted, ${BLOCK_TYPE_COLUMNS}`,
  byId: `SELECT ${BLOCK_TYPE_COLUMNS} FROM block_type WHERE id = $1`,
  bySlug: `SELECT ${BLOCK_TYPE_COLUMNS} FROM block_type WHERE slug = $1`,
  delete: `DELETE FROM block_type WHERE id = $1 RETURNING ${BLOCK_TYPE_COLUMNS}`,
} as const;

export function toBlockTypeRecord(row: BlockTypeRow): BlockTypeRecord {
  return { ...row, created: Instant.parse(row.created), updated: Instant.parse(row.updated) };
}

@Injectable()
export class BlockTypeRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Returns null when the slug is taken. */
  async insert(manager: EntityManager, values: BlockTypeValues): Promise<BlockTypeRecord | null> {
    const [row] = (await manager.query(SQL.insert, params(values))) as BlockTypeRow[];
    return row === undefined ? null : toBlockTypeRecord(row);
  }

  /**
   * Creates the type or makes the existing one of that slug match `values`; race-safe. Says what
   * it did: `created`, `updated`, or `unchanged` (nothing written).
   */
  async register(
    manager: EntityManager,
    values: BlockTypeValues,
  ): Promise<{ type: BlockTypeRecord; outcome: 'created' | 'updated' | 'unchanged' }> {
    const [row] = (await manager.query(SQL.register, params(values))) as (BlockTypeRow & {
      inserted: boolean;
    })[];
    if (row !== undefined) {
      const { inserted, ...type } = row;
      return { type: toBlockTypeRecord(type), outcome: inserted ? 'created' : 'updated' };
    }
    const [existing] = (await manager.query(SQL.bySlug, [values.slug])) as BlockTypeRow[];
    if (existing === undefined) throw new Error(`block type ${values.slug} vanished while being registered`);
    return { type: toBlockTypeRecord(existing), outcome: 'unchanged' };
  }

  async get(id: string): Promise<BlockTypeRecord | null> {
    const [row] = (await this.dataSource.query(SQL.byId, [id])) as BlockTypeRow[];
    return row === undefined ? null : toBlockTypeRecord(row);
  }

  async getBySlug(
    slug: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<BlockTypeRecord | null> {
    const [row] = (await manager.query(SQL.bySlug, [slug])) as BlockTypeRow[];
    return row === undefined ? null : toBlockTypeRecord(row);
  }

  /** `POST /block_types/filter`, by name. */
  async list(request: ListRequest<BlockTypeCriteria>): Promise<BlockTypeRecord[]> {
    const { sql, params: values } = blockTypeListQuery(request, BLOCK_TYPE_COLUMNS);
    return ((await this.dataSource.query(sql, values)) as BlockTypeRow[]).map(toBlockTypeRecord);
  }

  /**
   * Applies the given fields only when one of them differs from the stored value (concurrent
   * registrations of the same block would otherwise queue on the row lock). Returns the updated
   * type, `unchanged` when nothing differed, or null when there is no such block type.
   */
  async updateIfChanged(
    manager: EntityManager,
    id: string,
    changes: BlockTypeChanges,
  ): Promise<BlockTypeRecord | 'unchanged' | null> {
    const sets: string[] = [];
    const distinct: string[] = [];
    const values: unknown[] = [id];
    for (const column of CHANGEABLE) {
      const value = changes[column];
      if (value === undefined) continue;
      values.push(value);
      sets.push(`${column} = $${values.length}`);
      distinct.push(`${column} IS DISTINCT FROM $${values.length}`);
    }
    if (sets.length > 0) {
      // UPDATE … RETURNING answers [rows, affected] through the driver.
      const [rows] = (await manager.query(
        `UPDATE block_type SET ${sets.join(', ')}, updated = now() WHERE id = $1 AND (${distinct.join(' OR ')})
         RETURNING ${BLOCK_TYPE_COLUMNS}`,
        values,
      )) as [BlockTypeRow[], number];
      const row = rows[0];
      if (row !== undefined) return toBlockTypeRecord(row);
    }
    const [existing] = (await manager.query(SQL.byId, [id])) as BlockTypeRow[];
    return existing === undefined ? null : 'unchanged';
  }

  /** Returns the deleted type, or null when there was none. */
  async delete(manager: EntityManager, id: string): Promise<BlockTypeRecord | null> {
    const [rows] = (await manager.query(SQL.delete, [id])) as [BlockTypeRow[], number];
    const row = rows[0];
    return row === undefined ? null : toBlockTypeRecord(row);
  }
}

function params(values: BlockTypeValues): unknown[] {
  return [
    values.name,
    values.slug,
    values.logo_url,
    values.documentation_url,
    values.description,
    values.code_example,
    values.is_protected,
  ];
}
