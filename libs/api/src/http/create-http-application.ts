import { Logger, type LoggerService, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ApiOptions } from '../api-options';
import { CSRF_TOKEN_STORE, type CsrfTokenStore } from '../root/ports';
import { installCsrfProtection } from './csrf-protection';
import { installHttpHooks, rewriteRequestTarget } from './http-hooks';
import { DEFAULT_MAX_JSON_DEPTH, parseJsonBody } from './json-body.parser';
import { PrefectExceptionFilter } from './prefect-exception.filter';
import { PrefectFastifyAdapter } from './prefect-fastify.adapter';
import { RouteTable } from './route-table';
import { createValidationPipe } from './validation.pipe';

/**
 * Builds the api-gateway's Fastify application around a root module: Prefect's routing rules
 * (trailing slashes accepted, 404 vs 405, JSON bodies without a Content-Type), error shapes, body
 * size limit, auth and version checks, and the access log.
 */
export async function createHttpApplication(
  rootModule: Type<unknown> | ReturnType<typeof Object>,
  options: ApiOptions,
  logger: LoggerService,
  accessLog: (line: string) => void = (line) => new Logger('http').log(line),
): Promise<NestFastifyApplication> {
  const routes = new RouteTable();
  const adapter = new PrefectFastifyAdapter({
    bodyLimit: options.bodyLimitBytes,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 1000 },
    trustProxy: true,
    logger: false,
    rewriteUrl: rewriteRequestTarget,
  });
  const fastify = adapter.getInstance();
  fastify.addHook('onRoute', (route) => routes.add(route.method, route.url));
  installHttpHooks(fastify, options, accessLog);
  let csrfStore: CsrfTokenStore | null = null;
  if (options.csrfEnabled) {
    installCsrfProtection(fastify, () => csrfStore);
  }

  // Our own JSON parser, for application/json and for any body without a known type (old clients
  // POST JSON without a Content-Type): malformed JSON must become Prefect's 422, not a bare 400;
  // too deep a body or a NUL character a 422 naming the limit or the field (json-body.parser).
  // Fastify has already enforced the size limit while the body arrived (413).
  fastify.removeContentTypeParser('application/json');
  const maxDepth = options.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH;
  const parseJson = (
    _request: unknown,
    body: string | Buffer,
    done: (err: Error | null, value?: unknown) => void,
  ): void => {
    let value: unknown;
    try {
      value = parseJsonBody(String(body), maxDepth);
    } catch (error) {
      if (error instanceof SyntaxError) {
        const parseError = error as Error & { statusCode?: number; code?: string };
        parseError.statusCode = 400;
        parseError.code = 'FST_ERR_CTP_INVALID_JSON_BODY';
      }
      done(error as Error, undefined);
      return;
    }
    done(null, value);
  };
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, parseJson);
  fastify.addContentTypeParser('*', { parseAs: 'string' }, parseJson);

  const app = await NestFactory.create<NestFastifyApplication>(rootModule as Type<unknown>, adapter, {
    logger,
    abortOnError: false,
    bodyParser: false,
  });
  if (options.csrfEnabled) {
    csrfStore = app.get<CsrfTokenStore>(CSRF_TOKEN_STORE, { strict: false });
  }
  app.setGlobalPrefix(options.prefix.replace(/^\//, ''), { exclude: ['ui-settings'] });
  app.useGlobalFilters(new PrefectExceptionFilter(routes, options.bodyLimitBytes));
  app.useGlobalPipes(createValidationPipe());
  // Errors raised before routing (body parsing, size limit) reach Nest's Fastify error handler,
  // which passes them through the same filter.
  return app;
}
