import type { ListRequest, PaginateRequest } from '@orrery/domain';
import { validateSync, type ValidatorOptions } from 'class-validator';
import { plainToDto } from '@orrery/bus';
import { INT4_MAX } from '../common/validators';
import { PrefectHttpError } from '../http/prefect-http.error';
import { RequestValidationError, type ValidationIssue } from '@orrery/domain';
import { enumIssue, filterValidationIssues } from './filter-validation-issues';

/** A filter DTO class whose instances satisfy the domain filter model `T`. */
export type FilterDtoClass<T> = new () => T;

/** The filter keys of one endpoint family and the DTO that validates each. */
export interface FilterBodySpec<C> {
  readonly filters: { readonly [K in keyof C]-?: FilterDtoClass<NonNullable<C[K]>> };
}

/** …plus the sort enum it accepts and its default (spec §1.6). */
export interface SortedFilterBodySpec<C, S extends string> extends FilterBodySpec<C> {
  readonly sort: { readonly values: readonly S[]; readonly default: S };
}

/** Limits of the bulk endpoints (`/…/bulk_delete`, `/flow_runs/bulk_set_state`): 1–50, default 50. */
export const BULK_LIMIT = { min: 1, max: 50, default: 50 } as const;

/*
 * Why a parser rather than a DTO on @Body(): Prefect ignores unknown top-level keys of these
 * multi-parameter bodies but forbids unknown keys inside every filter model, and its `limit`
 * rules answer with `{"detail": …}` rather than a validation list. Controllers take the raw body
 * (`@Body() body: unknown`, which the global pipe leaves alone) and call one of these.
 */

const FILTER_VALIDATION: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: false,
  validationError: { target: false, value: true },
};

/** `POST …/count`: the filter keys only (`sort`, `limit` … are not read). */
export function parseFilterCriteria<C>(spec: FilterBodySpec<C>, body: unknown): C {
  const object = bodyObject(body);
  const issues: ValidationIssue[] = [];
  const criteria = readCriteria(spec, object, issues);
  throwIfAny(issues);
  return criteria;
}

/** `POST …/filter`: filters, `sort` (when the family has one), `limit` and `offset`. */
export function parseListBody<C, S extends string>(
  spec: SortedFilterBodySpec<C, S>,
  body: unknown,
  defaultLimit: number,
): ListRequest<C, S>;
export function parseListBody<C>(
  spec: FilterBodySpec<C>,
  body: unknown,
  defaultLimit: number,
): ListRequest<C>;
export function parseListBody<C>(
  spec: FilterBodySpec<C> | SortedFilterBodySpec<C, string>,
  body: unknown,
  defaultLimit: number,
): ListRequest<C> {
  const object = bodyObject(body);
  const issues: ValidationIssue[] = [];
  const limit = readLimit(object.limit, defaultLimit, issues);
  const offset = readBoundedInt(object, 'offset', { min: 0, default: 0 }, issues);
  const sort = 'sort' in spec ? readSort(object.sort, spec.sort, issues) : undefined;
  const criteria = readCriteria(spec, object, issues);
  throwIfAny(issues);
  return {
    ...criteria,
    limit: limit!,
    offset: offset!,
    ...(sort === undefined ? {} : { sort }),
  } as ListRequest<C>;
}

/** `POST …/paginate`: like a list, with a 1-based `page` instead of `offset` (`offset = (page-1)·limit`). */
export function parsePaginateBody<C, S extends string>(
  spec: SortedFilterBodySpec<C, S>,
  body: unknown,
  defaultLimit: number,
): PaginateRequest<C, S> {
  const object = bodyObject(body);
  const issues: ValidationIssue[] = [];
  const limit = readLimit(object.limit, defaultLimit, issues);
  const page = readBoundedInt(object, 'page', { min: 1, default: 1 }, issues);
  const sort = readSort(object.sort, spec.sort, issues);
  const criteria = readCriteria(spec, object, issues);
  throwIfAny(issues);
  return {
    ...criteria,
    sort: sort!,
    limit: limit!,
    page: page!,
    offset: (page! - 1) * limit!,
  } as PaginateRequest<C, S>;
}

/** Bulk endpoints: filters plus a `limit` validated as a body field (1–50, default 50; 422 issues). */
export function parseBulkBody<C>(spec: FilterBodySpec<C>, body: unknown): C & { limit: number } {
  const object = bodyObject(body);
  const issues: ValidationIssue[] = [];
  const limit = readBoundedInt(
    object,
    'limit',
    { min: BULK_LIMIT.min, max: BULK_LIMIT.max, default: BULK_LIMIT.default },
    issues,
  );
  const criteria = readCriteria(spec, object, issues);
  throwIfAny(issues);
  return { ...criteria, limit: limit! };
}

/**
 * Prefect's `LimitBody`: missing/null → `defaultLimit` (PREFECT_SERVER_API_DEFAULT_LIMIT, also the
 * maximum); out of range → 422 `{"detail": "Invalid limit: …"}`, thrown before anything else is
 * looked at; not an integer → a validation issue.
 */
export function parseLimit(value: unknown, defaultLimit: number): number {
  const issues: ValidationIssue[] = [];
  const limit = readLimit(value, defaultLimit, issues);
  throwIfAny(issues);
  return limit!;
}

function readLimit(value: unknown, defaultLimit: number, issues: ValidationIssue[]): number | undefined {
  if (value === undefined || value === null) return defaultLimit;
  const limit = readInt(value, ['body', 'limit'], issues);
  if (limit === undefined) return undefined;
  if (limit < 0) throw new PrefectHttpError(422, 'Invalid limit: must be greater than or equal to 0.');
  if (limit > defaultLimit) {
    throw new PrefectHttpError(422, `Invalid limit: must be less than or equal to ${defaultLimit}.`);
  }
  return limit;
}

function readBoundedInt(
  object: Record<string, unknown>,
  key: string,
  bounds: { min: number; max?: number; default: number },
  issues: ValidationIssue[],
): number | undefined {
  const value = object[key];
  // Real workers send `"offset": null` on some list calls; null means "not given".
  if (value === undefined || value === null) return bounds.default;
  const loc = ['body', key];
  const n = readInt(value, loc, issues);
  if (n === undefined) return undefined;
  if (n < bounds.min) {
    issues.push({
      type: 'greater_than_equal',
      loc,
      msg: `Input should be greater than or equal to ${bounds.min}`,
      input: value,
      ctx: { ge: bounds.min },
    });
    return undefined;
  }
  // offset and limit end up in SQL as PostgreSQL integers.
  const max = bounds.max ?? INT4_MAX;
  if (n > max) {
    issues.push({
      type: 'less_than_equal',
      loc,
      msg: `Input should be less than or equal to ${max}`,
      input: value,
      ctx: { le: max },
    });
    return undefined;
  }
  return n;
}

/** pydantic's lax integer: integral numbers and integer strings. */
function readInt(
  value: unknown,
  loc: ReadonlyArray<string | number>,
  issues: ValidationIssue[],
): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'number' && Number.isFinite(value)) {
    issues.push({
      type: 'int_from_float',
      loc,
      msg: 'Input should be a valid integer, got a number with a fractional part',
      input: value,
    });
    return undefined;
  }
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return Number(value);
  if (typeof value === 'string') {
    issues.push({
      type: 'int_parsing',
      loc,
      msg: 'Input should be a valid integer, unable to parse string as an integer',
      input: value,
    });
    return undefined;
  }
  issues.push({ type: 'int_type', loc, msg: 'Input should be a valid integer', input: value ?? null });
  return undefined;
}

/** Enums are strict: the exact value or 422 listing the allowed ones. Absent or null → the default. */
function readSort<S extends string>(
  value: unknown,
  sort: { readonly values: readonly S[]; readonly default: S },
  issues: ValidationIssue[],
): S | undefined {
  if (value === undefined || value === null) return sort.default;
  if ((sort.values as readonly unknown[]).includes(value)) return value as S;
  issues.push(enumIssue(['body', 'sort'], sort.values, value));
  return undefined;
}

function readCriteria<C>(
  spec: FilterBodySpec<C>,
  object: Record<string, unknown>,
  issues: ValidationIssue[],
): C {
  const criteria: Record<string, unknown> = {};
  for (const [key, dto] of Object.entries(spec.filters) as Array<[string, new () => object]>) {
    const raw = object[key];
    if (raw === undefined) continue;
    if (raw === null) {
      criteria[key] = null;
      continue;
    }
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      issues.push({
        type: 'model_attributes_type',
        loc: ['body', key],
        msg: 'Input should be a valid dictionary or object to extract fields from',
        input: raw,
      });
      continue;
    }
    const instance = plainToDto(dto as new () => object, raw as Record<string, unknown>);
    const errors = validateSync(instance, FILTER_VALIDATION);
    if (errors.length > 0) issues.push(...filterValidationIssues(errors, ['body', key]));
    else criteria[key] = instance;
  }
  return criteria as C;
}

/** No body is an empty body; anything but a JSON object is a 422. */
function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new RequestValidationError([
      {
        type: 'model_attributes_type',
        loc: ['body'],
        msg: 'Input should be a valid dictionary or object to extract fields from',
        input: body,
      },
    ]);
  }
  return body as Record<string, unknown>;
}

function throwIfAny(issues: readonly ValidationIssue[]): void {
  if (issues.length > 0) throw new RequestValidationError(issues);
}
