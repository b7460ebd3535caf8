import {
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { instruments, tracingStarted } from '@orrery/telemetry';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';

const tracer = trace.getTracer('orrery-http');
const serverSpans = new WeakMap<IncomingMessage, { readonly span: Span; readonly active: Context }>();
const UNTRACED = /^\/api\/(health|ready)\b/;

/**
 * The HTTP server span of every request (when tracing is on; install it before the other hooks so
 * it covers them): a SERVER span `<METHOD> <route template>` with `http.route`, continuing the
 * caller's `traceparent`. It is the active span from `onRequest` on, and made active again after
 * the body is read (`preValidation`, so the handler and its database calls run inside it) and when
 * the response is sent (`onResponse`, so the access-log line carries its ids): Fastify runs a
 * hook's successors synchronously from its `done`, which is cheaper than binding the request and
 * reply emitters. Health and readiness probes are not traced. This replaces
 * `@opentelemetry/instrumentation-http` (libs/telemetry/README.md has the cost of each).
 */
export function installHttpTracing(fastify: FastifyInstance): void {
  if (!tracingStarted()) return;
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (UNTRACED.test(request.url)) {
      done();
      return;
    }
    const route = request.routeOptions.url;
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = tracer.startSpan(
      route === undefined ? request.method : `${request.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'url.path': request.url,
          'url.scheme': request.protocol,
          ...(route === undefined ? {} : { 'http.route': route }),
        },
      },
      parent,
    );
    const active = trace.setSpan(parent, span);
    serverSpans.set(request.raw, { span, active });
    context.with(active, done);
  });
  const reenter = (request: { raw: IncomingMessage }, done: () => void): void => {
    const traced = serverSpans.get(request.raw);
    if (traced === undefined) done();
    else context.with(traced.active, done);
  };
  fastify.addHook('preValidation', (request, _reply, done) => reenter(request, done));
  fastify.addHook('onResponse', (request, _reply, done) => reenter(request, done));
}

/**
 * Records every response in `http.server.request.duration` by method, route template and status
 * (unmatched paths share one `http.route` value so a scanner cannot blow up the series count), and
 * ends the request's server span with its status. Install it after the access log's hook.
 */
export function installHttpTelemetry(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    instruments().httpDuration.record(reply.elapsedTime / 1000, {
      'http.request.method': request.method,
      'http.route': request.routeOptions.url ?? 'unmatched',
      'http.response.status_code': reply.statusCode,
    });
    const span = serverSpans.get(request.raw)?.span;
    if (span !== undefined) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    done();
  });
}
