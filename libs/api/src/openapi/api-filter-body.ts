import { applyDecorators } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';
import { BULK_LIMIT, type FilterBodySpec, type SortedFilterBodySpec } from '../filters/list-body.parser';
import type { JsonSchema } from './validator-schema';
import { ApiWireResponse, wire } from './wire-schema';

/** Which parser of list-body.parser reads the body, so which top-level keys it takes. */
export type FilterBodyKind = 'list' | 'count' | 'criteria' | 'paginate' | 'bulk';

const NULLABLE_INT = (minimum: number): JsonSchema => ({
  anyOf: [{ type: 'integer', minimum }, { type: 'null' }],
});

/**
 * The schema of a multi-parameter filter body read by parseListBody & co.: one optional, nullable
 * filter model per key of the spec (its DTO's schema comes from its class-validator decorators),
 * plus `sort`, `limit`, `offset`/`page` as that parser reads them.
 */
export function filterBodySchema(
  spec: FilterBodySpec<unknown> | SortedFilterBodySpec<unknown, string>,
  kind: FilterBodyKind,
  extra: Record<string, JsonSchema> = {},
): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [key, dto] of Object.entries(spec.filters as Record<string, { name: string }>)) {
    properties[key] = { anyOf: [{ $ref: `#/components/schemas/${dto.name}` }, { type: 'null' }] };
  }
  const sorted = 'sort' in spec && (kind === 'list' || kind === 'paginate');
  if (sorted) {
    // readSort takes null for the default
    properties.sort = { anyOf: [{ enum: spec.sort.values }, { type: 'null' }], default: spec.sort.default };
  }
  if (kind === 'list' || kind === 'paginate') properties.limit = NULLABLE_INT(0);
  if (kind === 'list') properties.offset = { type: 'integer', minimum: 0, default: 0 };
  if (kind === 'paginate') properties.page = { type: 'integer', minimum: 1, default: 1 };
  if (kind === 'bulk') {
    properties.limit = {
      type: 'integer',
      minimum: BULK_LIMIT.min,
      maximum: BULK_LIMIT.max,
      default: BULK_LIMIT.default,
    };
  }
  return { type: 'object', properties: { ...properties, ...extra } };
}

/**
 * Documents a `@Body() body: unknown` read by parseListBody (`list`), parseFilterCriteria
 * (`count`, which also declares the integer answer, or `criteria` for another answer), parsePaginateBody (`paginate`) or parseBulkBody (`bulk`); `extra` names the other
 * keys the handler reads itself.
 */
export function ApiFilterBody(
  spec: FilterBodySpec<unknown> | SortedFilterBodySpec<unknown, string>,
  kind: FilterBodyKind,
  extra: Record<string, JsonSchema> = {},
): MethodDecorator {
  const body = ApiBody({ required: false, schema: filterBodySchema(spec, kind, extra) as never });
  // parseFilterCriteria's routes answer the repository's count
  return kind === 'count' ? applyDecorators(body, ApiWireResponse(wire.integer())) : body;
}

/**
 * Documents a body of embedded parameters read by the run-history readers (body-fields.ts): the
 * filter models of `spec`, each optional and nullable, plus the handler's own `fields`, of which
 * `required` must be present.
 */
export function ApiEmbeddedBody(
  spec: FilterBodySpec<unknown>,
  fields: Record<string, JsonSchema>,
  required: readonly string[] = [],
): MethodDecorator {
  const schema = filterBodySchema(spec, 'criteria', fields);
  return ApiBody({
    required: required.length > 0,
    schema: (required.length > 0 ? { ...schema, required: [...required] } : schema) as never,
  });
}
