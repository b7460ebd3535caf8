import type { ArtifactCollectionFilter, ArtifactFilter, ArtifactFilterKey } from '@orrery/domain';
import { anyOf, type Clause, combine, contains, isNull } from './sql-clause';
import { listCriteria } from './leaf-criteria';
import type { SqlParameters } from './sql-parameters';

/** An ArtifactFilter as a condition on the `artifact` table. */
export function artifactFilterClause(f: ArtifactFilter, p: SqlParameters): Clause {
  const parts: Clause[] = [];
  if (f.id != null) parts.push(listCriteria(p, 'artifact.id', 'uuid', f.id));
  parts.push(...commonArtifactClauses('artifact', f, p));
  return combine(f.operator, parts);
}

/** An ArtifactCollectionFilter as a condition on the `artifact_collection` table. */
export function artifactCollectionFilterClause(f: ArtifactCollectionFilter, p: SqlParameters): Clause {
  const parts: Clause[] = [];
  if (f.latest_id != null) parts.push(listCriteria(p, 'artifact_collection.latest_id', 'uuid', f.latest_id));
  parts.push(...commonArtifactClauses('artifact_collection', f, p));
  return combine(f.operator, parts);
}

function commonArtifactClauses(
  table: string,
  f: ArtifactFilter | ArtifactCollectionFilter,
  p: SqlParameters,
): Clause[] {
  const parts: Clause[] = [];
  if (f.key != null) parts.push(keyClause(`${table}.key`, f.key, p));
  if (f.flow_run_id != null) parts.push(listCriteria(p, `${table}.flow_run_id`, 'uuid', f.flow_run_id));
  if (f.task_run_id != null) parts.push(listCriteria(p, `${table}.task_run_id`, 'uuid', f.task_run_id));
  if (f.type != null) parts.push(listCriteria(p, `${table}.type`, 'text', f.type));
  return parts;
}

function keyClause(column: string, f: ArtifactFilterKey, p: SqlParameters): Clause {
  const c: string[] = [];
  if (f.any_ != null) c.push(anyOf(p, column, f.any_, 'text'));
  if (f.like_ != null && f.like_ !== '') c.push(contains(p, column, f.like_));
  if (f.exists_ != null) c.push(isNull(column, !f.exists_));
  return combine('and_', c);
}
