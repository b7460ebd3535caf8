import { HttpException, type Logger, NotFoundException } from '@nestjs/common';
import { isBrokerUnavailableError } from '@orrery/bus';
import { UseCaseError } from '@orrery/domain';
import { OBFUSCATED_SECRET } from '@orrery/blocks';
import { OrchestrationObjectNotFoundError } from '@orrery/orchestration';
import { isRetryableDatabaseError } from '@orrery/persistence';
import { MAX_BULK_ISSUES } from './json-body.parser';
import { PrefectHttpError } from './prefect-http.error';
import { RequestValidationError } from '@orrery/domain';

/** A rendered error: what the client receives. */
export interface ErrorResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

const INTEGRITY_DETAIL =
  'Data integrity conflict. This usually means a unique or foreign key constraint was violated. See server logs for details.';

/** Block document writes, whose `data` may hold secrets (`secret_fields` of the schema). */
const BLOCK_DOCUMENT_ROUTE = /\/block_documents(\/:[^/]+)?\/?$/;

/** Every leaf of a value replaced by the obfuscated-secret marker, structure kept. */
function maskLeaves(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskLeaves);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskLeaves(v)]));
  }
  return value === null ? null : OBFUSCATED_SECRET;
}

/**
 * The body a 422 echoes. Upstream echoes it as sent; the `data` of a block document write may hold
 * secrets, and which fields are secret is only known from its schema (a database read the error
 * path does not make), so every value under `data` is masked. A bulk body of more than
 * MAX_BULK_ISSUES items is not echoed (null).
 */
function echoedBody(request: { body?: unknown; routeOptions?: { url?: string } }): unknown {
  const body = request.body ?? null;
  // A bulk body of millions of items would take seconds to serialise again on the event loop.
  if (Array.isArray(body) && body.length > MAX_BULK_ISSUES) return null;
  const route = request.routeOptions?.url;
  if (route === undefined || !BLOCK_DOCUMENT_ROUTE.test(route)) return body;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('data' in body)) return body;
  return { ...body, data: maskLeaves((body as { data: unknown }).data) };
}

/** SQLSTATE 54000: a value too large to store or index (a 3 kB name in a btree index, …). */
const PROGRAM_LIMIT_EXCEEDED = '54000';

function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const driverError = (error as { driverError?: { code?: unknown } }).driverError;
  const code = driverError?.code ?? (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** Fastify's own errors (body parsing, limits) carry a code and a status. */
interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message: string;
}

/**
 * Turns any thrown value into Prefect's response shapes (spec-api-orchestration §1.3):
 * `{"detail": …}` for explicit HTTP errors, the 422 `exception_detail` shape for invalid requests,
 * 409 for integrity violations, 503 + Retry-After for retryable database and broker errors (a
 * dependency is down), and an opaque 500 otherwise —
 * the detail of an unexpected error (which may hold SQL or secrets) goes to the log, never the body.
 */
export function renderError(
  error: unknown,
  request: {
    method: string;
    url: string;
    body?: unknown;
    routeOptions?: { url?: string };
    largeBulkBody?: boolean;
  },
  methodAllowed: (method: string, url: string) => boolean,
  logger: Logger,
  bodyLimitBytes?: number,
  logRetryableErrors = false,
): ErrorResponse {
  if (error instanceof RequestValidationError) {
    // A bulk body over an ordinary one's size or values: its items' objects, echoed in every issue
    // and in the body, would take seconds to serialise on the event loop; scalar inputs are kept.
    const large = request.largeBulkBody === true;
    return {
      status: 422,
      body: {
        exception_message: 'Invalid request received.',
        exception_detail: large
          ? error.issues.map((issue) =>
              typeof issue.input === 'object' && issue.input !== null ? { ...issue, input: null } : issue,
            )
          : error.issues,
        request_body: large ? null : echoedBody(request),
      },
      headers: {},
    };
  }
  if (error instanceof OrchestrationObjectNotFoundError) {
    // Prefect's model-layer "object not found": 404 with `exception_message`, not `detail`.
    return { status: 404, body: { exception_message: error.message }, headers: {} };
  }
  if (error instanceof PrefectHttpError) {
    return { status: error.getStatus(), body: { detail: error.detail }, headers: error.headers };
  }
  if (error instanceof UseCaseError) {
    return { status: error.status, body: { detail: error.detail }, headers: error.headers };
  }
  if (error instanceof NotFoundException && isRouterNotFound(error)) {
    const path = request.url.split('?')[0] ?? request.url;
    const other = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].some(
      (m) => m !== request.method && methodAllowed(m, path),
    );
    return other
      ? { status: 405, body: { detail: 'Method Not Allowed' }, headers: {} }
      : { status: 404, body: { detail: 'Not Found' }, headers: {} };
  }
  if (error instanceof HttpException) {
    // Nest hands Fastify's pre-routing errors over as HttpExceptions (413: the body size limit,
    // enforced while the body arrives).
    if (error.getStatus() === 413 && bodyLimitBytes !== undefined) {
      return {
        status: 413,
        body: {
          detail: `Request body is larger than the limit of ${bodyLimitBytes} bytes (PREFECT_SERVER_API_MAX_BULK_BODY_SIZE)`,
        },
        headers: {},
      };
    }
    const response = error.getResponse();
    const message =
      typeof response === 'string'
        ? response
        : ((response as { message?: unknown }).message ?? error.message);
    return {
      status: error.getStatus(),
      body: { detail: Array.isArray(message) ? message.join('; ') : String(message) },
      headers: {},
    };
  }
  const fastifyError = error as FastifyLikeError;
  if (typeof fastifyError?.code === 'string' && fastifyError.code.startsWith('FST_')) {
    if (
      fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      (fastifyError.statusCode === 400 && error instanceof SyntaxError)
    ) {
      return {
        status: 422,
        body: {
          exception_message: 'Invalid request received.',
          exception_detail: [{ type: 'json_invalid', loc: ['body'], msg: 'JSON decode error', input: {} }],
          request_body: null,
        },
        headers: {},
      };
    }
    return { status: fastifyError.statusCode ?? 400, body: { detail: fastifyError.message }, headers: {} };
  }
  const code = sqlState(error);
  if (code === '23505' || code === '23503') {
    logger.warn(`integrity violation on ${request.method} ${request.url}: ${(error as Error).message}`);
    return { status: 409, body: { detail: INTEGRITY_DETAIL }, headers: {} };
  }
  if (code === PROGRAM_LIMIT_EXCEEDED) {
    // Validation cannot know every storage limit (index rows, field sizes); the value is the client's.
    logger.warn(`value too large on ${request.method} ${request.url}: ${(error as Error).message}`);
    return {
      status: 422,
      body: {
        exception_message: 'Invalid request received.',
        exception_detail: [
          {
            type: 'value_too_large',
            loc: ['body'],
            msg: 'A value of the request is too large to be stored',
            input: null,
          },
        ],
        request_body: null,
      },
      headers: {},
    };
  }
  if (isRetryableDatabaseError(error) || isBrokerUnavailableError(error)) {
    // A dependency (PostgreSQL, Redis) is down or busy: the client and nginx retry a 503, never a 500.
    const what = isRetryableDatabaseError(error) ? 'database' : 'message broker';
    const line = `retryable ${what} error on ${request.method} ${request.url}`;
    // PREFECT_SERVER_LOG_RETRYABLE_ERRORS, as upstream: the stack at error level when on.
    if (logRetryableErrors)
      logger.error(`${line}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    else logger.debug(`${line}: ${(error as Error).message}`);
    return {
      status: 503,
      body: { exception_message: 'Service Unavailable' },
      headers: { 'Retry-After': '1' },
    };
  }
  logger.error(
    `unhandled error on ${request.method} ${request.url}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return { status: 500, body: { exception_message: 'Internal Server Error' }, headers: {} };
}

/** Nest's router answers unknown routes with NotFoundException("Cannot GET /path"). */
function isRouterNotFound(error: NotFoundException): boolean {
  const response = error.getResponse();
  const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
  return typeof message === 'string' && message.startsWith('Cannot ');
}
