import { Inject, Injectable } from '@nestjs/common';
import {
  type ArtifactCollectionCriteria,
  type ArtifactCollectionSort,
  type ArtifactCriteria,
  type ArtifactSort,
  Instant,
  type ListRequest,
  uuid7,
} from '@orrery/domain';
import { DataSource, type EntityManager } from 'typeorm';
import {
  artifactCollectionCountQuery,
  artifactCollectionListQuery,
  artifactCountQuery,
  artifactListQuery,
} from '../filters';
import { DATA_SOURCE } from '../persistence.tokens';

/** The fields an artifact and its collection share. */
export interface ArtifactFields {
  readonly key: string | null;
  readonly type: string | null;
  readonly description: string | null;
  readonly data: unknown;
  readonly metadata: Record<string, string> | null;
  readonly flowRunId: string | null;
  readonly taskRunId: string | null;
}

export interface ArtifactRecord extends ArtifactFields {
  readonly id: string;
  readonly created: Instant;
  readonly updated: Instant;
}

/** The latest artifact of a key (`artifact_collection`). */
export interface ArtifactCollectionRecord extends ArtifactRecord {
  readonly key: string;
  readonly latestId: string;
}

/** The fields of a `PATCH /artifacts/{id}`: absent ones are left as they are (`null` is a value). */
export interface ArtifactChanges {
  readonly data?: unknown;
  readonly description?: string | null;
  readonly metadata?: Record<string, string> | null;
}

/** What a write did to the key's collection (for its lifecycle event). */
export interface CollectionChange {
  readonly action: 'created' | 'updated' | 'deleted';
  readonly collection: ArtifactCollectionRecord;
}

interface ArtifactRow {
  id: string;
  created: string;
  updated: string;
  key: string | null;
  type: string | null;
  description: string | null;
  data: unknown;
  metadata_: Record<string, string> | null;
  flow_run_id: string | null;
  task_run_id: string | null;
}

interface CollectionRow extends ArtifactRow {
  key: string;
  latest_id: string;
}

const COLUMNS = 'id, created, updated, key, type, description, data, metadata_, flow_run_id, task_run_id';
const qualified = (table: string, columns: string): string =>
  columns
    .split(', ')
    .map((c) => `${table}.${c}`)
    .join(', ');
const COLLECTION_COLUMNS = `${COLUMNS}, latest_id`;

/*
 * Artifacts and their per-key collection (spec-api-orchestration §2.4). A keyed artifact upserts
 * `artifact_collection` in the same transaction; deleting the latest artifact of a key repoints the
 * collection to the next newest one or deletes it. Writers that touch a collection lock its row
 * (the upsert's ON CONFLICT, the delete's FOR UPDATE), so concurrent creates and deletes of one key
 * serialise there and the collection always names a live artifact.
 *
 * Serving indexes: pk_artifact; uq_artifact_collection__key (upsert, latest by key, repoint);
 * ix_artifact__key_created_desc (the next newest artifact of a key).
 */
const SQL = {
  insertArtifact: `INSERT INTO artifact (id, key, type, description, data, metadata_, flow_run_id, task_run_id)
      VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8)
      RETURNING ${COLUMNS}`,
  // (xmax = 0) is true only for a row this statement inserted, false for one ON CONFLICT updated.
  upsertCollection: `INSERT INTO artifact_collection
        (id, key, latest_id, type, description, data, metadata_, flow_run_id, task_run_id)
      VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9)
      ON CONFLICT (key) DO UPDATE SET
        latest_id = EXCLUDED.latest_id, type = EXCLUDED.type, description = EXCLUDED.description,
        data = EXCLUDED.data, metadata_ = EXCLUDED.metadata_, flow_run_id = EXCLUDED.flow_run_id,
        task_run_id = EXCLUDED.task_run_id, updated = now()
      RETURNING ${COLLECTION_COLUMNS}, (xmax = 0) AS inserted`,
  byId: `SELECT ${COLUMNS} FROM artifact WHERE id = $1`,
  latestByKey: `SELECT ${COLLECTION_COLUMNS} FROM artifact_collection WHERE key = $1`,
  lockArtifact: `SELECT id, key FROM artifact WHERE id = $1 FOR UPDATE`,
  lockCollection: `SELECT ${COLLECTION_COLUMNS} FROM artifact_collection WHERE key = $1 FOR UPDATE`,
  // Upstream copies the next artifact's created/updated onto the collection too.
  repointCollection: `WITH next AS (
        SELECT ${COLUMNS} FROM artifact WHERE key = $1 AND id <> $2 ORDER BY created DESC, id DESC LIMIT 1
      ), repointed AS (
        UPDATE artifact_collection c SET latest_id = next.id, type = next.type,
          description = next.description, data = next.data, metadata_ = next.metadata_,
          flow_run_id = next.flow_run_id, task_run_id = next.task_run_id,
          created = next.created, updated = next.updated
        FROM next WHERE c.key = $1
        RETURNING ${qualified('c', COLLECTION_COLUMNS)}
      ) SELECT * FROM repointed`,
  deleteCollection: `DELETE FROM artifact_collection WHERE key = $1`,
  deleteArtifact: `DELETE FROM artifact WHERE id = $1`,
} as const;

/**
 * `PATCH /artifacts/{id}`: the artifact, and the collection whose latest it is, in one statement;
 * the collection is found through the artifact's key (uq_artifact_collection__key) rather than by
 * `latest_id`, which no index leads with. Returns how many rows it changed.
 */
function updateSql(id: string, changes: ArtifactChanges): { sql: string; params: unknown[] } {
  const params: unknown[] = [id];
  const set: string[] = [];
  if (changes.data !== undefined) {
    params.push(JSON.stringify(changes.data));
    set.push(`data = $${params.length}::jsonb`);
  }
  if (changes.description !== undefined) {
    params.push(changes.description);
    set.push(`description = $${params.length}`);
  }
  if (changes.metadata !== undefined) {
    params.push(changes.metadata === null ? null : JSON.stringify(changes.metadata));
    set.push(`metadata_ = $${params.length}::jsonb`);
  }
  set.push('updated = now()');
  const assignments = set.join(', ');
  return {
    sql: `WITH a AS (UPDATE artifact SET ${assignments} WHERE id = $1 RETURNING id),
        c AS (UPDATE artifact_collection SET ${assignments}
          WHERE key = (SELECT key FROM artifact WHERE id = $1) AND latest_id = $1 RETURNING id)
      SELECT (SELECT count(*) FROM a)::int + (SELECT count(*) FROM c)::int AS changed`,
    params,
  };
}

function toArtifactRecord(row: ArtifactRow): ArtifactRecord {
  return {
    id: row.id,
    created: Instant.parse(row.created),
    updated: Instant.parse(row.updated),
    key: row.key,
    type: row.type,
    description: row.description,
    data: row.data,
    metadata: row.metadata_,
    flowRunId: row.flow_run_id,
    taskRunId: row.task_run_id,
  };
}

function toCollectionRecord(row: CollectionRow): ArtifactCollectionRecord {
  return { ...toArtifactRecord(row), key: row.key, latestId: row.latest_id };
}

@Injectable()
export class ArtifactRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Inserts the artifact and, when it has a key, makes it the latest of its collection. */
  async create(
    manager: EntityManager,
    artifact: ArtifactFields,
  ): Promise<{ artifact: ArtifactRecord; collection: CollectionChange | null }> {
    const id = uuid7();
    const data = JSON.stringify(artifact.data ?? null);
    const metadata = artifact.metadata === null ? null : JSON.stringify(artifact.metadata);
    let collection: CollectionChange | null = null;
    if (artifact.key !== null) {
      const [row] = (await manager.query(SQL.upsertCollection, [
        uuid7(),
        artifact.key,
        id,
        artifact.type,
        artifact.description,
        data,
        metadata,
        artifact.flowRunId,
        artifact.taskRunId,
      ])) as Array<CollectionRow & { inserted: boolean }>;
      if (row === undefined) throw new Error(`the collection of key ${artifact.key} was not upserted`);
      collection = { action: row.inserted ? 'created' : 'updated', collection: toCollectionRecord(row) };
    }
    const [row] = (await manager.query(SQL.insertArtifact, [
      id,
      artifact.key,
      artifact.type,
      artifact.description,
      data,
      metadata,
      artifact.flowRunId,
      artifact.taskRunId,
    ])) as ArtifactRow[];
    if (row === undefined) throw new Error('the artifact insert returned no row');
    return { artifact: toArtifactRecord(row), collection };
  }

  async get(id: string): Promise<ArtifactRecord | null> {
    const [row] = (await this.dataSource.query(SQL.byId, [id])) as ArtifactRow[];
    return row === undefined ? null : toArtifactRecord(row);
  }

  /** The collection row of a key: its latest artifact's fields. */
  async getLatest(key: string): Promise<ArtifactCollectionRecord | null> {
    const [row] = (await this.dataSource.query(SQL.latestByKey, [key])) as CollectionRow[];
    return row === undefined ? null : toCollectionRecord(row);
  }

  /** Returns false when neither the artifact nor a collection pointing at it exists. */
  async update(id: string, changes: ArtifactChanges): Promise<boolean> {
    const { sql, params } = updateSql(id, changes);
    const [row] = (await this.dataSource.query(sql, params)) as { changed: number }[];
    return (row?.changed ?? 0) > 0;
  }

  /**
   * Deletes the artifact; when it was the latest of its key, repoints the collection to the next
   * newest artifact of that key, or deletes the collection if there is none. Returns null when
   * there is no such artifact.
   */
  async delete(manager: EntityManager, id: string): Promise<{ collection: CollectionChange | null } | null> {
    const [artifact] = (await manager.query(SQL.lockArtifact, [id])) as { id: string; key: string | null }[];
    if (artifact === undefined) return null;
    let change: CollectionChange | null = null;
    if (artifact.key !== null) {
      const [current] = (await manager.query(SQL.lockCollection, [artifact.key])) as CollectionRow[];
      if (current !== undefined && current.latest_id === id) {
        const [repointed] = (await manager.query(SQL.repointCollection, [
          artifact.key,
          id,
        ])) as CollectionRow[];
        if (repointed !== undefined) {
          change = { action: 'updated', collection: toCollectionRecord(repointed) };
        } else {
          await manager.query(SQL.deleteCollection, [artifact.key]);
          change = { action: 'deleted', collection: toCollectionRecord(current) };
        }
      }
    }
    await manager.query(SQL.deleteArtifact, [id]);
    return { collection: change };
  }

  /** `POST /artifacts/filter`: one statement (filters/list.queries.ts). */
  async list(request: ListRequest<ArtifactCriteria, ArtifactSort>): Promise<ArtifactRecord[]> {
    const { sql, params } = artifactListQuery(request, qualified('artifact', COLUMNS));
    return ((await this.dataSource.query(sql, params)) as ArtifactRow[]).map(toArtifactRecord);
  }

  async count(criteria: ArtifactCriteria): Promise<number> {
    const { sql, params } = artifactCountQuery(criteria);
    const [row] = (await this.dataSource.query(sql, params)) as { count: number }[];
    return row?.count ?? 0;
  }

  /** `POST /artifacts/latest/filter`: the collections, one per key. */
  async listLatest(
    request: ListRequest<ArtifactCollectionCriteria, ArtifactCollectionSort>,
  ): Promise<ArtifactCollectionRecord[]> {
    const { sql, params } = artifactCollectionListQuery(
      request,
      qualified('artifact_collection', COLLECTION_COLUMNS),
    );
    return ((await this.dataSource.query(sql, params)) as CollectionRow[]).map(toCollectionRecord);
  }

  async countLatest(criteria: ArtifactCollectionCriteria): Promise<number> {
    const { sql, params } = artifactCollectionCountQuery(criteria);
    const [row] = (await this.dataSource.query(sql, params)) as { count: number }[];
    return row?.count ?? 0;
  }
}
