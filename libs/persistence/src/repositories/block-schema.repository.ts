import { Inject, Injectable } from '@nestjs/common';
import { type BlockSchemaCriteria, Instant, type ListRequest } from '@orrery/domain';
import { DataSource, type EntityManager } from 'typeorm';
import { blockSchemaListQuery } from '../filters';
import { DATA_SOURCE } from '../persistence.tokens';
import { type BlockTypeRecord, type BlockTypeRow, toBlockTypeRecord } from './block-type.repository';

export interface BlockSchemaRecord {
  readonly id: string;
  readonly created: Instant;
  readonly updated: Instant;
  readonly checksum: string;
  readonly fields: Record<string, unknown>;
  readonly block_type_id: string;
  readonly block_type: BlockTypeRecord;
  readonly capabilities: string[];
  readonly version: string;
}

export interface BlockSchemaValues {
  readonly checksum: string;
  readonly fields: Record<string, unknown>;
  readonly block_type_id: string;
  readonly capabilities: readonly string[];
  readonly version: string;
}

interface BlockSchemaRow {
  id: string;
  created: string;
  updated: string;
  checksum: string;
  fields: Record<string, unknown>;
  block_type_id: string;
  capabilities: string[];
  version: string;
  block_type: BlockTypeRow;
}

/** The schema's columns plus its block type as one json object (`block_type`). */
const SELECT = `SELECT block_schema.id, block_schema.created, block_schema.updated, block_schema.checksum,
    block_schema.fields, block_schema.block_type_id, block_schema.capabilities, block_schema.version,
    row_to_json(block_type) AS block_type
  FROM block_schema JOIN block_type ON block_type.id = block_schema.block_type_id`;

/*
 * Block schemas: `fields` are stored as registered (with `block_schema_references` and nested
 * definitions), and each reference that names a registered schema also becomes a
 * block_schema_reference row. Serving indexes: uq_block_schema__checksum_version (registration,
 * read by checksum), ix_block_schema__created (filter order), ix_block_schema__capabilities.
 */
const SQL = {
  // clock_timestamp(), not now(): registration inserts many schemas in one transaction, and
  // "newest first" (filter order, read by checksum) must still follow insertion order.
  insert: `INSERT INTO block_schema (checksum, fields, block_type_id, capabilities, version, created, updated)
      VALUES ($1, $2::jsonb, $3, $4::jsonb, $5, clock_timestamp(), clock_timestamp())
      ON CONFLICT (checksum, version) DO NOTHING
      RETURNING id`,
  // Links the parent to the newest schema of each referenced checksum, once.
  insertReference: `INSERT INTO block_schema_reference (name, parent_block_schema_id, reference_block_schema_id)
      SELECT $2, $1, child.id FROM (
        SELECT id FROM block_schema WHERE checksum = $3 ORDER BY created DESC LIMIT 1
      ) child
      WHERE NOT EXISTS (
        SELECT 1 FROM block_schema_reference r
        WHERE r.parent_block_schema_id = $1 AND r.reference_block_schema_id = child.id AND r.name = $2)`,
  byId: `${SELECT} WHERE block_schema.id = $1`,
  byIds: `${SELECT} WHERE block_schema.id = ANY($1::uuid[])`,
  byChecksum: `${SELECT} WHERE block_schema.checksum = $1 ORDER BY block_schema.created DESC LIMIT 1`,
  byChecksumAndVersion: `${SELECT} WHERE block_schema.checksum = $1 AND block_schema.version = $2`,
  delete: `DELETE FROM block_schema WHERE id = $1`,
  capabilities: `SELECT DISTINCT jsonb_array_elements_text(capabilities) AS capability FROM block_schema ORDER BY 1`,
} as const;

function toRecord(row: BlockSchemaRow): BlockSchemaRecord {
  return {
    ...row,
    created: Instant.parse(row.created),
    updated: Instant.parse(row.updated),
    block_type: toBlockTypeRecord(row.block_type),
  };
}

@Injectable()
export class BlockSchemaRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * Stores the schema unless one with the same checksum and version exists (concurrent
   * registrations race safely on the unique index). Returns the stored schema and whether this
   * call created it.
   */
  async insertIfAbsent(
    values: BlockSchemaValues,
    manager?: EntityManager,
  ): Promise<{ schema: BlockSchemaRecord; created: boolean }> {
    if (manager === undefined) return this.dataSource.transaction((own) => this.insertIfAbsent(values, own));
    const inserted = (await manager.query(SQL.insert, [
      values.checksum,
      JSON.stringify(values.fields),
      values.block_type_id,
      JSON.stringify(values.capabilities),
      values.version,
    ])) as { id: string }[];
    const id = inserted[0]?.id;
    if (id !== undefined) await this.insertReferences(manager, id, values.fields);
    const schema = await this.getByChecksum(values.checksum, values.version, manager);
    if (schema === null) throw new Error(`block schema ${values.checksum} vanished while being created`);
    return { schema, created: id !== undefined };
  }

  /** Runs `work` in one transaction (nested registrations and their parent commit together). */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<BlockSchemaRecord | null> {
    const [row] = (await manager.query(SQL.byId, [id])) as BlockSchemaRow[];
    return row === undefined ? null : toRecord(row);
  }

  /** The schema of that checksum and version, or the newest of that checksum when no version is given. */
  async getByChecksum(
    checksum: string,
    version: string | null,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<BlockSchemaRecord | null> {
    const [row] = (await (version === null
      ? manager.query(SQL.byChecksum, [checksum])
      : manager.query(SQL.byChecksumAndVersion, [checksum, version]))) as BlockSchemaRow[];
    return row === undefined ? null : toRecord(row);
  }

  /** `POST /block_schemas/filter`, newest first. */
  async list(request: ListRequest<BlockSchemaCriteria>): Promise<BlockSchemaRecord[]> {
    const { sql, params } = blockSchemaListQuery(request, 'block_schema.id');
    const ids = ((await this.dataSource.query(sql, params)) as { id: string }[]).map((r) => r.id);
    if (ids.length === 0) return [];
    const rows = (await this.dataSource.query(SQL.byIds, [ids])) as BlockSchemaRow[];
    const byId = new Map(rows.map((row) => [row.id, toRecord(row)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async delete(id: string): Promise<boolean> {
    const [, count] = (await this.dataSource.query(SQL.delete, [id])) as [unknown, number];
    return count > 0;
  }

  /** Every capability some registered schema declares, sorted. */
  async capabilities(): Promise<string[]> {
    return ((await this.dataSource.query(SQL.capabilities)) as { capability: string }[]).map(
      (r) => r.capability,
    );
  }

  private async insertReferences(
    manager: EntityManager,
    parentId: string,
    fields: Record<string, unknown>,
  ): Promise<void> {
    const references = fields['block_schema_references'];
    if (typeof references !== 'object' || references === null) return;
    for (const [name, value] of Object.entries(references as Record<string, unknown>)) {
      for (const entry of Array.isArray(value) ? value : [value]) {
        const checksum = (entry as { block_schema_checksum?: unknown } | null)?.block_schema_checksum;
        if (typeof checksum === 'string')
          await manager.query(SQL.insertReference, [parentId, name, checksum]);
      }
    }
  }
}
