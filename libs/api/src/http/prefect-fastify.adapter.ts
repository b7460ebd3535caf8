import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import type { ServerResponse } from 'node:http';

/**
 * Nest's Fastify adapter, answering as Prefect does: every response body is JSON, bare scalars
 * included (`"0.8.4"`, `"👋"`, `true`, `null`). Fastify sends a returned string as text/plain; this
 * encodes it as a JSON string unless the handler set a Content-Type itself.
 *
 * Done here rather than in a global interceptor: with no interceptor at all, Nest skips its
 * per-request interceptor chain (rxjs `defer`s and two `AsyncResource.bind`s, each of which builds
 * deprecation wrappers on Node 20).
 */
export class PrefectFastifyAdapter extends FastifyAdapter {
  override reply(response: ServerResponse | FastifyReply, body: unknown, statusCode?: number): FastifyReply {
    if (
      typeof body === 'string' &&
      'header' in response &&
      response.getHeader('content-type') === undefined
    ) {
      void response.header('content-type', 'application/json; charset=utf-8');
      return super.reply(response, JSON.stringify(body), statusCode);
    }
    return super.reply(response, body, statusCode);
  }
}
