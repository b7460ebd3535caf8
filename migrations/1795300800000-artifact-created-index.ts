import { SqlMigration } from './sql-migration';

/**
 * `POST /artifacts/filter` sorted CREATED_DESC (the artifacts page's default: `ORDER BY
 * artifact.created DESC, artifact.id DESC LIMIT 200`, filters/order-by.ts) had no index and sorted
 * every artifact (117 ms for 100 000). This index is that order, read backwards.
 */
export class ArtifactCreatedIndex1795300800000 extends SqlMigration {
  name = 'ArtifactCreatedIndex1795300800000';
  protected readonly upStatements = UP;
  protected readonly downStatements = DOWN;
}

const UP = [`CREATE INDEX ix_artifact__created_id ON artifact (created, id)`];

const DOWN = [`DROP INDEX ix_artifact__created_id`];
