import { Logger, type LoggerService, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import type { ApiOptions } from '../api-options';
import { CSRF_TOKEN_STORE, type CsrfTokenStore } from '../root/ports';
import { installCsrfProtection } from './csrf-protection';
import { installHttpHooks, rewriteRequestTarget } from './http-hooks';
import { installHttpTelemetry, installHttpTracing } from './http-telemetry';
import {
  DEFAULT_MAX_BULK_ITEMS,
  DEFAULT_MAX_JSON_DEPTH,
  DEFAULT_MAX_JSON_VALUES,
  JsonDepthScanner,
  LARGE_BODY_VALUES,
  markLargeBody,
  MAX_BODY_SIZE_SETTING,
  MAX_BULK_BODY_SIZE_SETTING,
  parseCheckedJson,
  parseJsonArrayInSlices,
} from './json-body.parser';
import { PrefectHttpError } from './prefect-http.error';
import { PrefectExceptionFilter } from './prefect-exception.filter';
import { installApiDocs } from '../openapi/api-docs';
import { uiSettingsDocument } from '../root/ui-settings.controller';
import { PrefectFastifyAdapter } from './prefect-fastify.adapter';
import { RouteTable } from './route-table';
import { installStaticUi, normaliseServeBase, STATIC_UI_ROUTE } from './static-ui';
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
  fastify.addHook('onRoute', (route) => {
    // The UI's catch-all GET must not turn every unknown API path into "405 Method Not Allowed".
    if ((route.config as Record<string, unknown> | undefined)?.[STATIC_UI_ROUTE] === true) return;
    routes.add(route.method, route.url);
  });
  installHttpTracing(fastify);
  installHttpHooks(fastify, options, accessLog);
  installHttpTelemetry(fastify);
  let csrfStore: CsrfTokenStore | null = null;
  if (options.csrfEnabled) {
    installCsrfProtection(fastify, () => csrfStore);
  }

  // Our own JSON parser, for application/json and for any body without a known type (old clients
  // POST JSON without a Content-Type): malformed JSON must become Prefect's 422, not a bare 400.
  // It reads the body stream itself so that the limits hold while the body arrives: the size
  // (413 naming its setting), the nesting depth, the number of values and of bulk items (422 naming
  // theirs, json-body.parser) — a hostile body is refused after its first chunk instead of being
  // buffered and parsed. NUL characters and
  // prototype keys: 422. Ordinary routes take at most PREFECT_SERVER_API_MAX_BODY_SIZE, parsed in
  // one go (bounded by that size); the bulk routes (log and event batches) take up to
  // PREFECT_SERVER_API_MAX_BULK_BODY_SIZE, parsed element by element in slices that yield to the
  // event loop, each element at most the ordinary limit.
  fastify.removeContentTypeParser('application/json');
  const maxDepth = options.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH;
  const maxValues = options.maxJsonValues ?? DEFAULT_MAX_JSON_VALUES;
  const maxBulkItems = options.maxBulkItems ?? DEFAULT_MAX_BULK_ITEMS;
  // Log batches keep their NUL characters to the log parser, which strips them (a batch of logs
  // is never failed for one character).
  const logRoutes = new Set([`${options.prefix}/logs`, `${options.prefix}/logs/`]);
  const bulkRoutes = new Set([...logRoutes, `${options.prefix}/events`, `${options.prefix}/events/`]);
  const bulkLimit = options.bodyLimitBytes;
  const ordinaryLimit = Math.min(options.maxBodyBytes ?? bulkLimit, bulkLimit);
  const tooLarge = (limit: number, setting: string): PrefectHttpError =>
    new PrefectHttpError(413, `Request body is larger than the limit of ${limit} bytes (${setting})`);
  const parseJson = (
    request: FastifyRequest,
    payload: Readable,
    done: (err: Error | null, value?: unknown) => void,
  ): void => {
    const route = request.routeOptions.url ?? '';
    const bulk = request.method === 'POST' && bulkRoutes.has(route);
    const limit = bulk ? bulkLimit : ordinaryLimit;
    const limitError = (): PrefectHttpError =>
      bulk ? tooLarge(bulkLimit, MAX_BULK_BODY_SIZE_SETTING) : tooLarge(ordinaryLimit, MAX_BODY_SIZE_SETTING);
    if (Number(request.headers['content-length'] ?? 0) > limit) {
      payload.resume();
      done(limitError());
      return;
    }
    const scanner = new JsonDepthScanner(maxDepth, maxValues, bulk, maxBulkItems);
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      payload.off('data', onData);
      payload.resume(); // the rest is read and dropped, so the answer can still be sent
      done(error);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) return fail(limitError());
      const refused = scanner.feed(chunk);
      if (refused !== null) return fail(refused);
      chunks.push(chunk);
    };
    const invalidJson = (error: unknown): Error => {
      if (error instanceof SyntaxError) {
        const parseError = error as Error & { statusCode?: number; code?: string };
        parseError.statusCode = 400;
        parseError.code = 'FST_ERR_CTP_INVALID_JSON_BODY';
      }
      return error as Error;
    };
    payload.on('data', onData);
    payload.on('error', fail);
    payload.on('end', () => {
      if (settled) return;
      settled = true;
      const body = Buffer.concat(chunks, size);
      const allowNul = logRoutes.has(route);
      // A bulk body larger than an ordinary one may be (in bytes or values) is not echoed in a 422.
      if (bulk && (size > ordinaryLimit || scanner.totalValueCount > maxValues)) request.largeBulkBody = true;
      if (bulk && scanner.arrayEnd >= 0) {
        parseJsonArrayInSlices(body, scanner, {
          allowNul,
          maxItemBytes: ordinaryLimit,
          itemTooLarge: (index) =>
            new PrefectHttpError(
              413,
              `Item ${index} of the request body is larger than the limit of ${ordinaryLimit} bytes (${MAX_BODY_SIZE_SETTING})`,
            ),
        }).then(
          (items) => done(null, items),
          (error: unknown) => done(invalidJson(error)),
        );
        return;
      }
      // Not an array: a bulk route's body is then held to the ordinary limit (it is a 422 anyway).
      if (size > ordinaryLimit) return done(tooLarge(ordinaryLimit, MAX_BODY_SIZE_SETTING));
      let value: unknown;
      try {
        value = parseCheckedJson(body.toString('utf8'), allowNul);
      } catch (error) {
        return done(invalidJson(error));
      }
      if (scanner.valueCount <= LARGE_BODY_VALUES) return done(null, value);
      // Validation walks a large body next: other requests get a turn of the event loop first.
      markLargeBody(value);
      setImmediate(() => done(null, value));
    });
  };
  fastify.addContentTypeParser('application/json', parseJson);
  fastify.addContentTypeParser('*', parseJson);

  const app = await NestFactory.create<NestFastifyApplication>(rootModule as Type<unknown>, adapter, {
    logger,
    abortOnError: false,
    bodyParser: false,
  });
  if (options.csrfEnabled) {
    csrfStore = app.get<CsrfTokenStore>(CSRF_TOKEN_STORE, { strict: false });
  }
  const uiBuild = options.ui.buildDirectory ?? null;
  if (options.ui.enabled && uiBuild !== null && options.ui.staticDirectory !== undefined) {
    installStaticUi(fastify, {
      serveBase: normaliseServeBase(options.ui.serveBase ?? '/'),
      buildDirectory: uiBuild,
      staticDirectory: options.ui.staticDirectory,
      apiPrefix: options.prefix,
      uiSettings: () => uiSettingsDocument(options),
    });
  }
  app.setGlobalPrefix(options.prefix.replace(/^\//, ''), { exclude: ['ui-settings'] });
  // `/api/openapi.json` and `/api/docs`, as upstream serves them (behind the same credentials).
  installApiDocs(fastify, app, { prefix: options.prefix });
  app.useGlobalFilters(
    new PrefectExceptionFilter(routes, options.bodyLimitBytes, options.logRetryableErrors === true),
  );
  app.useGlobalPipes(createValidationPipe());
  // Errors raised before routing (body parsing, size limit) reach Nest's Fastify error handler,
  // which passes them through the same filter.
  return app;
}
