import type { BlockDocumentFilter, BlockSchemaFilter, BlockTypeFilter } from '@orrery/domain';
import { type Clause, combine, contains, equals, tagsContainAll } from './sql-clause';
import { listCriteria, nameCriteria } from './leaf-criteria';
import type { SqlParameters } from './sql-parameters';

/** A BlockTypeFilter as a condition on the `block_type` table (no operator: always AND). */
export function blockTypeFilterClause(f: BlockTypeFilter, p: SqlParameters): Clause {
  const parts: Clause[] = [];
  if (f.name != null) {
    const like = f.name.like_;
    parts.push(combine('and_', like != null && like !== '' ? [contains(p, 'block_type.name', like)] : []));
  }
  if (f.slug != null) parts.push(listCriteria(p, 'block_type.slug', 'text', f.slug));
  return combine('and_', parts);
}

/** A BlockSchemaFilter as a condition on the `block_schema` table. */
export function blockSchemaFilterClause(f: BlockSchemaFilter, p: SqlParameters): Clause {
  const parts: Clause[] = [];
  if (f.block_type_id != null)
    parts.push(listCriteria(p, 'block_schema.block_type_id', 'uuid', f.block_type_id));
  if (f.block_capabilities != null) {
    const all = f.block_capabilities.all_;
    // ix_block_schema__capabilities (GIN)
    parts.push(
      combine(
        'and_',
        all != null && all.length > 0 ? [tagsContainAll(p, 'block_schema.capabilities', all)] : [],
      ),
    );
  }
  if (f.id != null) parts.push(listCriteria(p, 'block_schema.id', 'uuid', f.id));
  if (f.version != null) parts.push(listCriteria(p, 'block_schema.version', 'text', f.version));
  return combine(f.operator, parts);
}

/**
 * A BlockDocumentFilter as a condition on the `block_document` table. `is_anonymous` left out
 * means `{eq_: false}` (anonymous documents hidden); an explicit `null` lifts it.
 */
export function blockDocumentFilterClause(f: BlockDocumentFilter, p: SqlParameters): Clause {
  const parts: Clause[] = [];
  if (f.id != null) parts.push(listCriteria(p, 'block_document.id', 'uuid', f.id));
  const anonymous = f.is_anonymous === undefined ? { eq_: false } : f.is_anonymous;
  if (anonymous !== null) {
    parts.push(
      combine('and_', anonymous.eq_ != null ? [equals(p, 'block_document.is_anonymous', anonymous.eq_)] : []),
    );
  }
  if (f.block_type_id != null)
    parts.push(listCriteria(p, 'block_document.block_type_id', 'uuid', f.block_type_id));
  if (f.name != null) parts.push(nameCriteria(p, 'block_document.name', f.name));
  return combine(f.operator, parts);
}
