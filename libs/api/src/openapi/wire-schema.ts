import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { JsonSchema } from './validator-schema';

/*
 * Response bodies are built by functions (`flowResponse()` …), not DTO classes, so their schemas
 * are declared next to them with these builders: `wireModel('Flow', {...})` registers a component
 * and gives the function its return type (`WireOf<typeof FLOW>`), so a field added to or dropped
 * from the function without the schema is a compile error; `@ApiWireResponse(FLOW)` puts it on a
 * route. Component names are upstream's, so the contract comparison meets like with like.
 */

/** A value on the wire: its schema, and (for the compiler only) what the code may put there. */
export interface Wire<T = unknown> {
  readonly schema: JsonSchema;
  readonly __type?: T;
}

const make = <T>(schema: JsonSchema): Wire<T> => ({ schema });

export const wire = {
  string: (): Wire<string> => make({ type: 'string' }),
  uuid: (): Wire<string> => make({ type: 'string', format: 'uuid' }),
  /** An Instant, a Date or an ISO string: all serialise to an ISO 8601 date-time. */
  dateTime: (): Wire<unknown> => make({ type: 'string', format: 'date-time' }),
  integer: (): Wire<number> => make({ type: 'integer' }),
  number: (): Wire<number> => make({ type: 'number' }),
  boolean: (): Wire<boolean> => make({ type: 'boolean' }),
  /** A JSON object with any keys (a dict upstream). */
  dict: (values?: Wire): Wire<object> =>
    make({ type: 'object', ...(values === undefined ? {} : { additionalProperties: values.schema }) }),
  /** Any JSON value, spelt out as upstream's `Json` type. */
  json: (): Wire<unknown> =>
    make({
      anyOf: [
        { type: 'string' },
        { type: 'integer' },
        { type: 'boolean' },
        { type: 'number' },
        { type: 'object' },
        { type: 'array' },
        { type: 'null' },
      ],
    }),
  /** Any JSON value. */
  any: (): Wire<unknown> => make({}),
  enum: <V extends string>(values: readonly V[]): Wire<V> => make({ enum: values }),
  /** Prefect labels: a flat object of strings, numbers and booleans. */
  labels: (): Wire<unknown> =>
    make({
      type: 'object',
      additionalProperties: { anyOf: [{ type: 'boolean' }, { type: 'number' }, { type: 'string' }] },
    }),
  /** Exactly this value (a discriminator such as `"type": "accept_details"`). */
  constant: <V extends string>(value: V): Wire<V> => make({ const: value }),
  /** One of several shapes. */
  oneOf: (...options: Wire[]): Wire<unknown> => make({ anyOf: options.map((o) => o.schema) }),
  /** The model registered as `name`, for a shape that contains itself (declare it with wireModel too). */
  ref: (name: string): Wire<unknown> => make({ $ref: `#/components/schemas/${name}` }),
  nullable: <T>(inner: Wire<T>): Wire<T | null> => make({ anyOf: [inner.schema, { type: 'null' }] }),
  array: <T>(items: Wire<T>): Wire<T[]> => make({ type: 'array', items: items.schema }),
  /** A two-element array: `[first, second]`. */
  pair: (first: Wire, second: Wire): Wire<unknown> =>
    make({ type: 'array', prefixItems: [first.schema, second.schema], minItems: 2, maxItems: 2 }),
};

/** The object a model's response function returns: exactly its keys (values are not checked). */
export type WireShape<P> = { [K in keyof P]: unknown };
export type WireOf<W> = W extends Wire<infer T> ? T : never;

export interface WireModel<P> extends Wire<WireShape<P>> {
  readonly name: string;
  readonly properties: P;
}

const models = new Map<string, JsonSchema>();

/**
 * Registers component `name`. Every property is required (our response functions always write
 * each) except those listed in `optional`: keys of a stored object the client may have left out.
 */
export function wireModel<P extends Record<string, Wire>>(
  name: string,
  properties: P,
  options: { optional?: readonly (keyof P & string)[] } = {},
): WireModel<P> {
  const optional = new Set<string>(options.optional ?? []);
  const schema: JsonSchema = {
    type: 'object',
    properties: Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, v.schema])),
    required: Object.keys(properties).filter((k) => !optional.has(k)),
  };
  const known = models.get(name);
  if (known !== undefined && JSON.stringify(known) !== JSON.stringify(schema)) {
    throw new Error(`two response models are named ${name}`);
  }
  models.set(name, schema);
  return { name, properties, schema: { $ref: `#/components/schemas/${name}` } };
}

/**
 * Registers component `name` for a request body that a hand-written parser reads (so there is no
 * DTO to derive it from): the schema is written next to that parser, from what it accepts.
 */
export function namedSchema(name: string, schema: JsonSchema): JsonSchema {
  const known = models.get(name);
  if (known !== undefined && JSON.stringify(known) !== JSON.stringify(schema)) {
    throw new Error(`two schemas are named ${name}`);
  }
  models.set(name, schema);
  return { $ref: `#/components/schemas/${name}` };
}

/** `{ results, count, limit, pages, page }`, as `paginated()` builds it. */
export function wirePage<T>(name: string, item: Wire<T>) {
  return wireModel(name, {
    results: wire.array(item),
    count: wire.integer(),
    limit: wire.integer(),
    pages: wire.integer(),
    page: wire.integer(),
  });
}

/** Every registered response model, for the document's components. */
export function wireModels(): ReadonlyMap<string, JsonSchema> {
  return models;
}

/**
 * Declares a route's response body: `@ApiWireResponse(FLOW)` (200), `@ApiWireResponse(FLOW, 201)`,
 * or several statuses with what each means, e.g. `{ 201: 'created', 200: 'already there' }`.
 */
export function ApiWireResponse(
  body: Wire,
  statuses: number | Readonly<Record<number, string>> = 200,
): MethodDecorator {
  const entries: [number, string][] =
    typeof statuses === 'number'
      ? [[statuses, '']]
      : Object.entries(statuses).map(([s, d]) => [Number(s), d]);
  return applyDecorators(
    ...entries.map(([status, description]) =>
      ApiResponse({ status, description, schema: body.schema as never }),
    ),
  );
}

/** The statuses of an orchestration route: a new state was written, or not (rejected, aborted, waiting). */
export const STATE_WRITTEN_OR_NOT = {
  201: 'A new state was written',
  200: 'No new state: rejected, aborted or told to wait',
} as const;

/** The statuses of a create-or-get route (`reply.code(created ? 201 : 200)`). */
export const CREATED_OR_EXISTING = { 201: 'Created', 200: 'Already existed: returned unchanged' } as const;
