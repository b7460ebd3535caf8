import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiOptions } from '../api-options';
import { bodyProblemError, findBodyProblem } from './json-body.parser';
import { isUnderPrefix, normaliseRequestTarget } from './request-target';

declare module 'fastify' {
  interface FastifyRequest {
    /** Parsed `X-PREFECT-API-VERSION`, or null when the client sent none (treated as latest). */
    prefectApiVersion: readonly [number, number, number] | null;
    /** Version from `User-Agent: prefect/<version> (API …)`, or null. */
    prefectClientVersion: string | null;
    /**
     * Set by the body parser when a bulk body is larger than an ordinary one may be, in bytes or in
     * values: its 422 then echoes neither the body nor the structured inputs of its issues
     * (seconds of serialising otherwise).
     */
    largeBulkBody?: boolean;
  }
}

const MIN_API_VERSION: readonly [number, number, number] = [0, 8, 0];

function withoutTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return withoutTrailingSlash(q === -1 ? url : url.slice(0, q));
}

/** Requests whose target was refused by `rewriteRequestTarget` (answered 404 before anything else). */
const refusedTargets = new WeakSet<IncomingMessage>();

/**
 * Fastify's `rewriteUrl`: every request target is normalised once, before routing, so the router
 * and every check after it see the same path (see `normaliseRequestTarget`).
 */
export function rewriteRequestTarget(request: IncomingMessage): string {
  const target = normaliseRequestTarget(request.url ?? '/');
  if (!target.ok) {
    refusedTargets.add(request);
    return '/';
  }
  return target.query === '' ? target.path : `${target.path}?${target.query}`;
}

function constantTimeEquals(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Request-level concerns that run once the (normalised) target is routed, in Prefect's order: CORS,
 * basic auth, and the `X-PREFECT-API-VERSION` check (everything but health and version). Also one
 * access-log line per response with status and latency.
 *
 * Whether a request needs credentials is decided on the route it reached, not on its text: every
 * route under the API prefix — and every unmatched path under it, so unknown routes answer 401 as
 * upstream's middleware does — needs them, except GET/HEAD of the `health` and `ready` routes.
 */
export function installHttpHooks(
  fastify: FastifyInstance,
  options: ApiOptions,
  accessLog: (line: string) => void,
): void {
  const prefix = options.prefix;
  const healthPaths = new Set([`${prefix}/health`, `${prefix}/ready`]);
  const unversioned = new Set([`${prefix}/health`, `${prefix}/version`]);
  const expectedAuth =
    options.authString === null ? null : `Basic ${Buffer.from(options.authString).toString('base64')}`;

  fastify.decorateRequest('prefectApiVersion', null);
  fastify.decorateRequest('prefectClientVersion', null);

  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done) => {
    if (refusedTargets.has(request.raw)) {
      void reply.code(404).send({ detail: 'Not Found' });
      return;
    }
    const path = pathOf(request.url);
    const route =
      request.routeOptions.url === undefined ? null : withoutTrailingSlash(request.routeOptions.url);
    const origin = request.headers.origin;
    if (origin !== undefined) {
      const allowed =
        options.cors.origins === '*' ? '*' : options.cors.origins.split(',').map((o) => o.trim());
      if (allowed === '*' || allowed.includes(origin)) {
        void reply.header('Access-Control-Allow-Origin', allowed === '*' ? '*' : origin);
        if (allowed !== '*') void reply.header('Vary', 'Origin');
      }
      if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
        void reply
          .header(
            'Access-Control-Allow-Methods',
            options.cors.methods === '*'
              ? 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT'
              : options.cors.methods,
          )
          .header(
            'Access-Control-Allow-Headers',
            options.cors.headers === '*'
              ? (request.headers['access-control-request-headers'] ?? '*')
              : options.cors.headers,
          )
          .header('Access-Control-Max-Age', '600')
          .code(200)
          .send('OK');
        return;
      }
    }

    const underApi = isUnderPrefix(path, prefix) || (route !== null && isUnderPrefix(route, prefix));
    if (expectedAuth !== null && underApi) {
      const exempt =
        (request.method === 'GET' || request.method === 'HEAD') && route !== null && healthPaths.has(route);
      const given = request.headers.authorization ?? '';
      if (!exempt && !constantTimeEquals(given, expectedAuth)) {
        void reply.code(401).send({ exception_message: 'Unauthorized' });
        return;
      }
    }

    if (underApi && (route === null || !unversioned.has(route))) {
      const header = request.headers['x-prefect-api-version'];
      if (typeof header === 'string' && header !== '') {
        const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(header.trim());
        if (match === null) {
          void reply.code(400).send({
            detail: `Invalid X-PREFECT-API-VERSION header format.Expected header in format 'x.y.z' but received ${header}`,
          });
          return;
        }
        const version = [Number(match[1]), Number(match[2]), Number(match[3])] as const;
        if (compareVersions(version, MIN_API_VERSION) < 0) {
          void reply.code(400).send({
            detail: `The request specified API version ${header} but this server requires version ${MIN_API_VERSION.join('.')} or higher.`,
          });
          return;
        }
        request.prefectApiVersion = version;
      }
    }
    const agent = request.headers['user-agent'];
    if (typeof agent === 'string') {
      const m = /prefect\/([0-9][^\s]*)/i.exec(agent);
      request.prefectClientVersion = m?.[1] ?? null;
    }
    done();
  });

  // PostgreSQL stores U+0000 neither in text nor in jsonb: a NUL in a path or query parameter is
  // the client's mistake (422 naming it), never a database error. Bodies are checked while parsed.
  // An unmatched path stays a 404: its only "parameter" is the wildcard of the not-found route.
  fastify.addHook('preValidation', (request, _reply, done) => {
    if (request.routeOptions.url === undefined) {
      done();
      return;
    }
    const found = findBodyProblem(request.params, ['path']) ?? findBodyProblem(request.query, ['query']);
    done(found === null ? undefined : bodyProblemError(found));
  });

  if (options.accessLog) {
    fastify.addHook('onResponse', (request, reply, done) => {
      accessLog(`${request.method} ${request.url} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)}ms`);
      done();
    });
  }
}
