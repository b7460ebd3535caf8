import fc from 'fast-check';

/** A JSON schema node of the contract (OpenAPI 3.1 flavour), as far as the fuzzer reads it. */
export interface SchemaNode {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | SchemaNode;
  readonly items?: SchemaNode;
  readonly anyOf?: readonly SchemaNode[];
  readonly oneOf?: readonly SchemaNode[];
  readonly allOf?: readonly SchemaNode[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly format?: string;
}

export interface OpenApiParameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required?: boolean;
  readonly schema?: SchemaNode;
}

export interface OpenApiOperationShape {
  readonly parameters?: readonly OpenApiParameter[];
  readonly requestBody?: { readonly content?: Record<string, { readonly schema?: SchemaNode }> };
}

export interface FuzzRequest {
  readonly method: string;
  /** Path below the API prefix, parameters filled in and percent-encoded. */
  readonly path: string;
  /** Raw body text (may be malformed JSON), or undefined for none. */
  readonly body?: string;
}

/** Values a careless or hostile client sends in place of anything. */
const HOSTILE_VALUES: readonly unknown[] = [
  null,
  '',
  'a\u0000b',
  '\u0000',
  -1,
  0,
  2 ** 31,
  -(2 ** 63),
  2 ** 64,
  1e308,
  -1e-308,
  1.5,
  true,
  [],
  {},
  [null],
  { '': null },
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  '9999-99-99T99:99:99Z',
  '0001-01-01T00:00:00Z',
  '275760-09-13T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  'P1000000000Y',
  '*/0 * * * *',
  '💥'.repeat(50),
  '%00%2F..%2F',
  "' OR 1=1 --",
  '{{ 7*7 }}',
  'x'.repeat(10_000),
  JSON.parse('{"__proto__":{"polluted":true}}') as unknown,
  { constructor: { prototype: { polluted: true } } },
];

const hostile = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_VALUES) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.double() },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  );

/**
 * fast-check arbitraries built from the contract's schemas: mostly faithful values, with a hostile
 * value (wrong type, NUL, out of range, huge, prototype keys …) in place of any node now and then,
 * required fields dropped and unknown ones added. Recursive schemas are cut at `maxDepth`.
 */
export class OpenApiArbitraries {
  private readonly cache = new Map<string, fc.Arbitrary<unknown>>();

  constructor(
    private readonly schemas: Readonly<Record<string, SchemaNode>>,
    private readonly maxDepth = 5,
  ) {}

  forSchema(schema: SchemaNode | undefined, depth = 0): fc.Arbitrary<unknown> {
    const faithful = this.faithful(schema, depth);
    return fc.oneof({ weight: 8, arbitrary: faithful }, { weight: 1, arbitrary: hostile() });
  }

  /** A request of `operation`: path and query parameters and the body, each maybe malformed. */
  forOperation(
    method: string,
    template: string,
    operation: OpenApiOperationShape,
  ): fc.Arbitrary<FuzzRequest> {
    const parameters = (operation.parameters ?? []).filter((p) => p.in === 'path' || p.in === 'query');
    const values = fc.tuple(
      ...parameters.map((p) =>
        p.in === 'path'
          ? fc.oneof(
              { weight: 3, arbitrary: this.faithful(p.schema, 0) },
              { weight: 1, arbitrary: hostile() },
            )
          : fc.option(this.forSchema(p.schema, 0), { nil: undefined }),
      ),
    );
    const schema = operation.requestBody?.content?.['application/json']?.schema;
    const body: fc.Arbitrary<string | undefined> =
      schema === undefined
        ? fc.constant(undefined)
        : fc.oneof(
            { weight: 12, arbitrary: this.forSchema(schema, 0).map((v) => JSON.stringify(v) ?? 'null') },
            {
              weight: 1,
              arbitrary: fc.constantFrom(
                '{',
                '{"a":',
                '[1,]',
                'NaN',
                '\u0000',
                '"\\ud800"',
                `${'['.repeat(150)}${']'.repeat(150)}`,
                `{"x":${'{"a":'.repeat(120)}1${'}'.repeat(120)}}`,
              ),
            },
            { weight: 1, arbitrary: fc.constant(undefined) },
          );
    return fc.tuple(values, body).map(([filled, text]) => {
      let path = template;
      const query: string[] = [];
      parameters.forEach((p, i) => {
        const value = filled[i];
        if (p.in === 'path') {
          path = path.replace(`{${p.name}}`, encodeURIComponent(asText(value)) || '%20');
        } else if (value !== undefined) {
          const list = Array.isArray(value) ? value : [value];
          for (const item of list)
            query.push(`${encodeURIComponent(p.name)}=${encodeURIComponent(asText(item))}`);
        }
      });
      return {
        method: method.toUpperCase(),
        path: query.length ? `${path}?${query.join('&')}` : path,
        body: text,
      };
    });
  }

  private faithful(schema: SchemaNode | undefined, depth: number): fc.Arbitrary<unknown> {
    if (schema === undefined || depth > this.maxDepth) return fc.jsonValue({ maxDepth: 1 });
    if (schema.$ref !== undefined) {
      const name = schema.$ref.split('/').pop() as string;
      const key = `${name}@${depth}`;
      let cached = this.cache.get(key);
      if (cached === undefined) {
        // Placeholder first: a schema that refers to itself reaches the depth cut instead of looping.
        cached = fc.constant(null);
        this.cache.set(key, cached);
        cached = this.faithful(this.schemas[name], depth + 1);
        this.cache.set(key, cached);
      }
      return cached;
    }
    if (schema.const !== undefined) return fc.constant(schema.const);
    if (schema.enum !== undefined && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
    const alternatives = schema.anyOf ?? schema.oneOf;
    if (alternatives !== undefined && alternatives.length > 0) {
      return fc.oneof(...alternatives.map((s) => this.forSchema(s, depth + 1)));
    }
    if (schema.allOf !== undefined && schema.allOf.length > 0)
      return this.faithful(schema.allOf[0], depth + 1);
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    switch (type) {
      case 'object':
        return this.object(schema, depth);
      case 'array':
        return fc.array(this.forSchema(schema.items, depth + 1), { maxLength: 4 });
      case 'string':
        return this.string(schema.format);
      case 'integer':
        return fc.oneof(fc.integer({ min: -5, max: 1000 }), fc.constantFrom(2 ** 31, -(2 ** 53), 2 ** 53));
      case 'number':
        return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer());
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  }

  private object(schema: SchemaNode, depth: number): fc.Arbitrary<unknown> {
    const properties = Object.entries(schema.properties ?? {});
    const required = new Set(schema.required ?? []);
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [name, property] of properties) record[name] = this.forSchema(property, depth + 1);
    const requiredKeys = properties.map(([n]) => n).filter((n) => required.has(n));
    const shaped = fc.record(record, { requiredKeys });
    const extras = fc.dictionary(fc.string({ maxLength: 8 }), hostile(), { maxKeys: 2 });
    return fc
      .tuple(shaped, fc.option(extras, { freq: 4, nil: undefined }), fc.boolean())
      .map(([value, extra, dropOne]) => {
        const out: Record<string, unknown> = { ...(value as Record<string, unknown>), ...(extra ?? {}) };
        // Now and then a required field goes missing.
        if (dropOne && requiredKeys.length > 0 && Object.keys(out).length % 5 === 0) {
          delete out[requiredKeys[0] as string];
        }
        return out;
      });
  }

  private string(format: string | undefined): fc.Arbitrary<unknown> {
    switch (format) {
      case 'uuid':
        return fc.oneof(
          { weight: 4, arbitrary: fc.uuid() },
          { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
        );
      case 'date-time':
        return fc.oneof(
          { weight: 4, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) },
          { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
        );
      case 'date':
        return fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      default:
        return fc.oneof(
          { weight: 4, arbitrary: fc.string({ maxLength: 20 }) },
          { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }) },
        );
    }
  }
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}
