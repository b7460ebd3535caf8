import { Inject, Injectable } from '@nestjs/common';
import {
  type BlockDocumentCriteria,
  type BlockDocumentSort,
  Instant,
  type ListRequest,
} from '@orrery/domain';
import { DataSource, type EntityManager } from 'typeorm';
import { blockDocumentCountQuery, blockDocumentListQuery } from '../filters';
import { DATA_SOURCE } from '../persistence.tokens';
import { BlockDocumentCycleError } from './block-document-cycle.error';
import { type BlockTypeRecord, type BlockTypeRow, toBlockTypeRecord } from './block-type.repository';

/** A block document row as stored: `data` is whatever the caller stored (ciphertext). */
export interface BlockDocumentRecord {
  readonly id: string;
  readonly created: Instant;
  readonly updated: Instant;
  readonly name: string;
  readonly data: unknown;
  readonly is_anonymous: boolean;
  readonly block_type_name: string | null;
  readonly block_type_id: string;
  readonly block_type: BlockTypeRecord;
  readonly block_schema_id: string;
  readonly block_schema: BlockDocumentSchema;
}

/** The document's schema with its block type, as embedded in a block document. */
export interface BlockDocumentSchema {
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

/** One node of a document tree: the document, and under which name of which parent it hangs. */
export interface BlockDocumentNode {
  readonly document: BlockDocumentRecord;
  readonly name: string | null;
  readonly parent_id: string | null;
}

/** A reference from a document's data key to another document. */
export interface BlockDocumentLink {
  readonly name: string;
  readonly block_document_id: string;
}

export interface BlockDocumentValues {
  readonly name: string;
  readonly data: unknown;
  readonly is_anonymous: boolean;
  readonly block_type_id: string;
  readonly block_schema_id: string;
  readonly references: readonly BlockDocumentLink[];
}

interface SchemaRow {
  id: string;
  created: string;
  updated: string;
  checksum: string;
  fields: Record<string, unknown>;
  block_type_id: string;
  capabilities: string[];
  version: string;
}

interface DocumentRow {
  id: string;
  created: string;
  updated: string;
  name: string;
  data: unknown;
  is_anonymous: boolean;
  block_type_name: string | null;
  block_type_id: string;
  block_schema_id: string;
  block_type: BlockTypeRow;
  block_schema: SchemaRow;
  block_schema_type: BlockTypeRow;
  ref_name: string | null;
  parent_id: string | null;
}

/*
 * Block documents and their references (block_document_reference: parent → referenced document,
 * under a data key). Reads walk the reference graph with one recursive query from the roots.
 * Serving indexes: uq_block__type_id_name (create conflict, read by slug and name),
 * ix_block_document__name / ix_block_document__block_type_name__name (filter sorts).
 */
const DOCUMENT_COLUMNS = `d.id, d.created, d.updated, d.name, d.data, d.is_anonymous, d.block_type_name,
    d.block_type_id, d.block_schema_id, row_to_json(t) AS block_type, row_to_json(s) AS block_schema,
    row_to_json(st) AS block_schema_type`;
const DOCUMENT_JOINS = `JOIN block_type t ON t.id = d.block_type_id
    JOIN block_schema s ON s.id = d.block_schema_id
    JOIN block_type st ON st.id = s.block_type_id`;

const SQL = {
  insert: `INSERT INTO block_document (name, data, is_anonymous, block_type_name, block_type_id, block_schema_id)
      SELECT $1, $2::jsonb, $3, t.name, t.id, $5 FROM block_type t WHERE t.id = $4
      ON CONFLICT (block_type_id, name) DO NOTHING
      RETURNING id`,
  insertReference: `INSERT INTO block_document_reference (name, parent_block_document_id, reference_block_document_id)
      VALUES ($1, $2, $3)`,
  deleteReferences: `DELETE FROM block_document_reference WHERE parent_block_document_id = $1`,
  // The roots plus every document they reach through references (depth-capped like upstream).
  tree: `WITH RECURSIVE refs AS (
        SELECT r.name, r.parent_block_document_id, r.reference_block_document_id, 1 AS depth
          FROM block_document_reference r WHERE r.parent_block_document_id = ANY($1::uuid[])
        UNION ALL
        SELECT r.name, r.parent_block_document_id, r.reference_block_document_id, refs.depth + 1
          FROM block_document_reference r JOIN refs ON r.parent_block_document_id = refs.reference_block_document_id
          WHERE refs.depth < 50
      )
      SELECT ${DOCUMENT_COLUMNS}, NULL::text AS ref_name, NULL::uuid AS parent_id
        FROM block_document d ${DOCUMENT_JOINS} WHERE d.id = ANY($1::uuid[])
      UNION ALL
      SELECT ${DOCUMENT_COLUMNS}, refs.name AS ref_name, refs.parent_block_document_id AS parent_id
        FROM refs JOIN block_document d ON d.id = refs.reference_block_document_id ${DOCUMENT_JOINS}`,
  idBySlugAndName: `SELECT d.id FROM block_document d JOIN block_type t ON t.id = d.block_type_id
      WHERE t.slug = $1 AND d.name = $2`,
  // Whether `$2` already reaches `$1`, so linking $1 → $2 would close a cycle.
  reaches: `WITH RECURSIVE reach AS (
        SELECT $2::uuid AS id
        UNION
        SELECT r.reference_block_document_id FROM block_document_reference r JOIN reach ON r.parent_block_document_id = reach.id
      )
      SELECT 1 FROM reach WHERE id = $1 LIMIT 1`,
  updateData: `UPDATE block_document SET data = $2::jsonb, updated = now() WHERE id = $1`,
  updateSchema: `UPDATE block_document SET block_schema_id = $2, updated = now() WHERE id = $1`,
  delete: `DELETE FROM block_document WHERE id = $1`,
  lock: `SELECT id FROM block_document WHERE id = $1 FOR UPDATE`,
} as const;

function toSchema(row: SchemaRow, type: BlockTypeRow): BlockDocumentSchema {
  return {
    ...row,
    created: Instant.parse(row.created),
    updated: Instant.parse(row.updated),
    block_type: toBlockTypeRecord(type),
  };
}

function toNode(row: DocumentRow): BlockDocumentNode {
  const { ref_name, parent_id, block_type, block_schema, block_schema_type, ...rest } = row;
  return {
    name: ref_name,
    parent_id,
    document: {
      ...rest,
      created: Instant.parse(rest.created),
      updated: Instant.parse(rest.updated),
      block_type: toBlockTypeRecord(block_type),
      block_schema: toSchema(block_schema, block_schema_type),
    },
  };
}

@Injectable()
export class BlockDocumentRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * Inserts the document and its references in the caller's transaction (so its lifecycle event
   * can join it). Returns the new id, or null when the type already has a document of that name.
   */
  async insert(manager: EntityManager, values: BlockDocumentValues): Promise<string | null> {
    const [row] = (await manager.query(SQL.insert, [
      values.name,
      JSON.stringify(values.data),
      values.is_anonymous,
      values.block_type_id,
      values.block_schema_id,
    ])) as { id: string }[];
    if (row === undefined) return null;
    for (const link of values.references)
      await manager.query(SQL.insertReference, [link.name, row.id, link.block_document_id]);
    return row.id;
  }

  /** The documents with these ids and every document they reference, in one query. */
  async trees(
    rootIds: readonly string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<BlockDocumentNode[]> {
    if (rootIds.length === 0) return [];
    return ((await manager.query(SQL.tree, [rootIds])) as DocumentRow[]).map(toNode);
  }

  async idBySlugAndName(slug: string, name: string): Promise<string | null> {
    const [row] = (await this.dataSource.query(SQL.idBySlugAndName, [slug, name])) as { id: string }[];
    return row?.id ?? null;
  }

  /** Ids of the matching documents, in the requested order. */
  async listIds(request: ListRequest<BlockDocumentCriteria, BlockDocumentSort>): Promise<string[]> {
    const { sql, params } = blockDocumentListQuery(request, 'block_document.id');
    return ((await this.dataSource.query(sql, params)) as { id: string }[]).map((r) => r.id);
  }

  async count(criteria: BlockDocumentCriteria): Promise<number> {
    const { sql, params } = blockDocumentCountQuery(criteria);
    const [row] = (await this.dataSource.query(sql, params)) as { count: number }[];
    return row?.count ?? 0;
  }

  /**
   * Replaces the document's data and references (and schema, when given) in the caller's
   * transaction. Throws BlockDocumentCycleError when a reference would reach the document itself.
   */
  async update(
    manager: EntityManager,
    id: string,
    changes: { data?: unknown; references?: readonly BlockDocumentLink[]; block_schema_id?: string },
  ): Promise<void> {
    if (changes.data !== undefined) await manager.query(SQL.updateData, [id, JSON.stringify(changes.data)]);
    if (changes.block_schema_id !== undefined)
      await manager.query(SQL.updateSchema, [id, changes.block_schema_id]);
    if (changes.references !== undefined) await this.replaceReferences(manager, id, changes.references);
  }

  /**
   * Locks the document row for the rest of the caller's transaction, so concurrent merges of one
   * document apply one after the other instead of losing each other's keys. False when absent.
   */
  async lock(manager: EntityManager, id: string): Promise<boolean> {
    return ((await manager.query(SQL.lock, [id])) as unknown[]).length > 0;
  }

  async delete(manager: EntityManager, id: string): Promise<boolean> {
    const [, count] = (await manager.query(SQL.delete, [id])) as [unknown, number];
    return count > 0;
  }

  private async replaceReferences(
    manager: EntityManager,
    id: string,
    links: readonly BlockDocumentLink[],
  ): Promise<void> {
    await manager.query(SQL.deleteReferences, [id]);
    for (const link of links) {
      const cycle = (await manager.query(SQL.reaches, [id, link.block_document_id])) as unknown[];
      if (cycle.length > 0)
        throw new BlockDocumentCycleError(
          `Cannot create block document reference: it would introduce a cycle into the block_document_reference graph (parent=${id}, reference=${link.block_document_id}).`,
        );
      await manager.query(SQL.insertReference, [link.name, id, link.block_document_id]);
    }
  }
}
