import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { SERVER_VERSION, buildOpenApiDocument, type OrreryOpenApi } from '@orrery/api';
import { loadSettings } from '@orrery/config';
import { apiProcessModule } from './run-process';

/**
 * The OpenAPI document a default API process serves at `/api/openapi.json`, built from the real
 * root module in Nest's preview mode: routes and DTOs are read, nothing is instantiated or
 * connected (no database, no Redis). For tests and tooling.
 */
export async function previewOpenApi(): Promise<OrreryOpenApi> {
  const settings = loadSettings({
    PREFECT_API_DATABASE_CONNECTION_URL: 'postgresql+asyncpg://postgres@127.0.0.1:5432/unused',
  });
  const app = await NestFactory.create(apiProcessModule(settings), new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    return buildOpenApiDocument(app, { prefix: '/api', version: SERVER_VERSION });
  } finally {
    await app.close();
  }
}
