import type { INestApplicationContext } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVER_VERSION } from '../api-options';
import { buildOpenApiDocument } from './openapi-document';

// swagger-ui-dist ships the Swagger UI's browser files and a function that finds them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getAbsoluteFSPath } = require('swagger-ui-dist') as { getAbsoluteFSPath: () => string };

/** The Swagger UI files the docs page loads, all from this server (no CDN). */
const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

/**
 * The docs page. Its links are relative to its own address (`/api/docs` or `/api/docs/`), so a
 * proxy that mounts the API elsewhere keeps it working; `validatorUrl: null` keeps Swagger UI from
 * sending the document to its public validator.
 */
function page(base: { assets: string; document: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Orrery — Prefect REST API docs</title>
<link rel="stylesheet" href="${base.assets}swagger-ui.css">
<link rel="icon" type="image/png" href="${base.assets}favicon-32x32.png" sizes="32x32">
<link rel="icon" type="image/png" href="${base.assets}favicon-16x16.png" sizes="16x16">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${base.assets}swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(base.document)},
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
</script>
</body>
</html>
`;
}

/**
 * Upstream's self-documentation: `GET {prefix}/openapi.json` (the document, built from the
 * application's routes on first request) and `GET {prefix}/docs` (Swagger UI, its files served
 * from the swagger-ui-dist package). Both sit under the API prefix, so they ask for the same
 * credentials as every other API route (http-hooks decides on the matched route).
 */
export function installApiDocs(
  fastify: FastifyInstance,
  app: INestApplicationContext,
  options: { prefix: string },
): void {
  const prefix = options.prefix;
  let documentJson: string | null = null;
  const documentText = (): string =>
    (documentJson ??= JSON.stringify(
      buildOpenApiDocument(app, { prefix, version: SERVER_VERSION }).document,
    ));

  fastify.get(`${prefix}/openapi.json`, (_request: FastifyRequest, reply: FastifyReply) => {
    void reply.header('Content-Type', 'application/json').send(documentText());
  });

  // `/api/docs` and `/api/docs/` both reach the page: its relative links must work from either.
  const base = (request: FastifyRequest): { assets: string; document: string } =>
    (request.url.split('?')[0] ?? '').endsWith('/')
      ? { assets: './', document: '../openapi.json' }
      : { assets: './docs/', document: './openapi.json' };
  fastify.get(`${prefix}/docs`, (request: FastifyRequest, reply: FastifyReply) => {
    void reply.header('Content-Type', 'text/html; charset=utf-8').send(page(base(request)));
  });
  const directory = getAbsoluteFSPath();
  const cache = new Map<string, Buffer>();
  for (const [name, type] of Object.entries(ASSETS)) {
    fastify.get(`${prefix}/docs/${name}`, (_request: FastifyRequest, reply: FastifyReply) => {
      let body = cache.get(name);
      if (body === undefined) {
        body = readFileSync(join(directory, name));
        cache.set(name, body);
      }
      void reply.header('Content-Type', type).header('Cache-Control', 'public, max-age=3600').send(body);
    });
  }
}
