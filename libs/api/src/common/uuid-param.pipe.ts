import { Injectable, type PipeTransform } from '@nestjs/common';
import { laxUuid, RequestValidationError } from '@orrery/domain';
import { PrefectHttpError } from '../http/prefect-http.error';

/**
 * What Starlette's `uuid` path convertor matches: 32 hex digits in any case, each of the four
 * hyphens of the canonical form optional (`{id:uuid}` in Prefect's routers). Braces and
 * `urn:uuid:` do not match the route.
 */
const ROUTE_UUID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;

/** A path segment as a `{id:uuid}` route reads it, canonical (lowercase, hyphenated), or null. */
export function routeUuid(value: string): string | null {
  if (!ROUTE_UUID.test(value)) return null;
  const hex = value.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * `{id}` path segments are `{id:uuid}` in Prefect's router: a segment the convertor does not match
 * does not match the route at all, so the answer is the router's 404 `{"detail":"Not Found"}`,
 * not a 422. A matched one reaches the handler canonical.
 */
@Injectable()
export class UuidParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    const id = routeUuid(value);
    if (id === null) throw PrefectHttpError.notFound('Not Found');
    return id;
  }
}

/**
 * A path parameter typed `UUID` without the route convertor (`/leases/{lease_id}/renew`): FastAPI
 * validates it with pydantic, so every lax form is read and anything else is a 422 at
 * `["path", name]`.
 */
export function laxUuidParamPipe(name: string): PipeTransform<string, string> {
  return {
    transform(value: string): string {
      const parsed = laxUuid(value);
      if (parsed.ok) return parsed.value;
      throw new RequestValidationError([
        { type: parsed.type, loc: ['path', name], msg: parsed.msg, input: value },
      ]);
    },
  };
}

/**
 * A string as Python's `uuid.UUID(text)` reads it, canonical, or null: `urn:` and `uuid:` removed,
 * braces trimmed from the ends, every hyphen dropped, then 32 hex digits. Upstream's
 * `{id_or_name}` routes try this on the segment and take it as a name when it fails.
 */
export function pythonUuid(value: string): string | null {
  const hex = value
    .replace(/urn:|uuid:/g, '')
    .replace(/^[{}]+|[{}]+$/g, '')
    .replace(/-/g, '');
  return /^[0-9a-fA-F]{32}$/.test(hex) ? routeUuid(hex) : null;
}
