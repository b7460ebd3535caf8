import type { INestApplicationContext } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import { type ClassRef, type JsonSchema, ValidatorSchemaGenerator } from './validator-schema';
import { wireModels } from './wire-schema';

export interface OrreryOpenApi {
  readonly document: OpenAPIObject;
  /** What the generator could not document (unmapped validators, duplicate class names). */
  readonly problems: readonly string[];
}

export const OPENAPI_TITLE = 'Orrery — Prefect REST API';

/** Every class class-validator holds rules for, by name (the storage keeps them in a private map). */
function dtoClassesByName(): Map<string, ClassRef[]> {
  const storage = getMetadataStorage() as unknown as { validationMetadatas?: unknown };
  const byName = new Map<string, ClassRef[]>();
  if (!(storage.validationMetadatas instanceof Map)) return byName;
  for (const target of storage.validationMetadatas.keys()) {
    if (typeof target !== 'function' || target.name === '') continue;
    const list = byName.get(target.name) ?? [];
    list.push(target as ClassRef);
    byName.set(target.name, list);
  }
  return byName;
}

const REF_PREFIX = '#/components/schemas/';

function visitRefs(value: unknown, visit: (name: string) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) visitRefs(item, visit);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string' && item.startsWith(REF_PREFIX)) {
        visit(item.slice(REF_PREFIX.length));
      } else visitRefs(item, visit);
    }
  }
}

/**
 * The API's OpenAPI 3.1 document, generated from the running application's controllers by
 * @nestjs/swagger (routes, path and query parameters, status codes, the `@ApiBody`/`@ApiResponse`
 * declarations) with every DTO class's schema derived from its class-validator decorators
 * (ValidatorSchemaGenerator): a request DTO is documented by the rules that validate it.
 * Paths are without the API prefix, which `servers` carries, as upstream's document does.
 */
export function buildOpenApiDocument(
  app: INestApplicationContext,
  options: { prefix: string; version: string },
): OrreryOpenApi {
  const config = new DocumentBuilder()
    .setTitle(OPENAPI_TITLE)
    .setVersion(options.version)
    .setOpenAPIVersion('3.1.0')
    .addServer(options.prefix === '' ? '/' : options.prefix)
    .build();
  const document = SwaggerModule.createDocument(app as never, config, {
    ignoreGlobalPrefix: true,
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey}_${methodKey}`,
  });
  const generator = new ValidatorSchemaGenerator();
  const classes = dtoClassesByName();
  const schemas = (document.components ??= {}).schemas ?? {};
  document.components.schemas = schemas;
  for (const [name, schema] of wireModels()) schemas[name] ??= schema as never;

  // @nestjs/swagger lists a DTO class without @ApiProperty as an empty object: every component
  // named after a class-validator class gets the schema its decorators describe, and so does each
  // DTO that schema refers to, until no reference is left unresolved.
  const pending = new Set<string>();
  const collect = (name: string): void => {
    const generated = generator.components.get(name);
    const existing = schemas[name] as JsonSchema | undefined;
    const empty = existing === undefined || Object.keys(existing.properties ?? {}).length === 0;
    if (generated === undefined && empty && classes.has(name)) pending.add(name);
  };
  visitRefs(document, collect);
  while (pending.size > 0) {
    const [name] = pending;
    pending.delete(name as string);
    const candidates = classes.get(name as string) ?? [];
    if (candidates.length > 1) {
      generator.problems.push(
        `two DTO classes are named ${name}: rename one (component names are class names)`,
      );
    }
    generator.refTo(candidates[0] as ClassRef);
    for (const [generatedName, schema] of generator.components) {
      schemas[generatedName] = schema as never;
      visitRefs(schema, collect);
    }
  }
  const unresolved = new Set<string>();
  visitRefs(document, (name) => {
    if (schemas[name] === undefined) unresolved.add(name);
  });
  const problems = [...new Set(generator.problems)];
  for (const name of unresolved) problems.push(`unresolved schema reference ${name}`);
  return { document, problems: problems.sort() };
}
