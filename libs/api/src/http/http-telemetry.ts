import { trace } from '@opentelemetry/api';
import { instruments } from '@orrery/telemetry';
import type { FastifyInstance } from 'fastify';

/**
 * Per-request telemetry: the HTTP server span (when tracing is on) is named `<METHOD> <route
 * template>` and carries `http.route`, and every response is recorded in
 * `http.server.request.duration` by method, route template and status. Unmatched paths share one
 * `http.route` value so a scanner cannot blow up the series count.
 */
export function installHttpTelemetry(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const span = trace.getActiveSpan();
    const route = request.routeOptions.url;
    if (span !== undefined && route !== undefined) {
      span.updateName(`${request.method} ${route}`);
      span.setAttribute('http.route', route);
    }
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    instruments().httpDuration.record(reply.elapsedTime / 1000, {
      'http.request.method': request.method,
      'http.route': request.routeOptions.url ?? 'unmatched',
      'http.response.status_code': reply.statusCode,
    });
    done();
  });
}
