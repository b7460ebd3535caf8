import { Inject, Injectable } from '@nestjs/common';
import { Instant, type PageWindow, uuid7 } from '@orrery/domain';
import { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../persistence.tokens';

/** One UI filter of a saved search (`SavedSearchFilter`), kept as the client sent it. */
export interface SavedSearchFilterRecord {
  readonly object: string;
  readonly property: string;
  readonly type: string;
  readonly operation: string;
  readonly value: unknown;
}

export interface SavedSearchRecord {
  readonly id: string;
  readonly created: Instant;
  readonly updated: Instant;
  readonly name: string;
  readonly filters: SavedSearchFilterRecord[];
}

interface SavedSearchRow {
  id: string;
  created: string;
  updated: string;
  name: string;
  filters: SavedSearchFilterRecord[];
}

const COLUMNS = 'id, created, updated, name, filters';

/*
 * Saved searches of the UI. Serving indexes: uq_saved_search__name (upsert, and the list, which is
 * ordered by name as upstream), pk_saved_search.
 */
const SQL = {
  // (xmax = 0) is true only for a row this statement inserted, false for one ON CONFLICT replaced.
  upsert: `INSERT INTO saved_search (id, name, filters) VALUES ($1, $2, $3::jsonb)
      ON CONFLICT (name) DO UPDATE SET filters = EXCLUDED.filters, updated = now()
      RETURNING ${COLUMNS}, (xmax = 0) AS inserted`,
  byId: `SELECT ${COLUMNS} FROM saved_search WHERE id = $1`,
  list: `SELECT ${COLUMNS} FROM saved_search ORDER BY name LIMIT $1 OFFSET $2`,
  delete: `WITH gone AS (DELETE FROM saved_search WHERE id = $1 RETURNING id) SELECT count(*)::int AS n FROM gone`,
} as const;

function toSavedSearchRecord(row: SavedSearchRow): SavedSearchRecord {
  return {
    id: row.id,
    created: Instant.parse(row.created),
    updated: Instant.parse(row.updated),
    name: row.name,
    filters: row.filters,
  };
}

@Injectable()
export class SavedSearchRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Creates the search, or replaces the filters of the one with that name (its id is kept). */
  async upsert(search: {
    name: string;
    filters: SavedSearchFilterRecord[];
  }): Promise<{ search: SavedSearchRecord; created: boolean }> {
    const [row] = (await this.dataSource.query(SQL.upsert, [
      uuid7(),
      search.name,
      JSON.stringify(search.filters),
    ])) as Array<SavedSearchRow & { inserted: boolean }>;
    if (row === undefined) throw new Error(`saved search ${JSON.stringify(search.name)} was not upserted`);
    return { search: toSavedSearchRecord(row), created: row.inserted };
  }

  async get(id: string): Promise<SavedSearchRecord | null> {
    const [row] = (await this.dataSource.query(SQL.byId, [id])) as SavedSearchRow[];
    return row === undefined ? null : toSavedSearchRecord(row);
  }

  /** `POST /saved_searches/filter`: by name, paged. */
  async list(window: PageWindow): Promise<SavedSearchRecord[]> {
    const rows = (await this.dataSource.query(SQL.list, [window.limit, window.offset])) as SavedSearchRow[];
    return rows.map(toSavedSearchRecord);
  }

  /** Returns false when there is no such saved search. */
  async delete(id: string): Promise<boolean> {
    const [row] = (await this.dataSource.query(SQL.delete, [id])) as { n: number }[];
    return (row?.n ?? 0) > 0;
  }
}
