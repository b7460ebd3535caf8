/*
 * Compares our OpenAPI document with Prefect's (the wire contract): every (method, path) of the
 * contract must be ours too, with its path and query parameters, a request body that accepts what
 * upstream's accepts and a response that promises no less and no other than upstream's. Each
 * mismatch is one stable line of text, so a reviewed list of justified ones can be kept in the repo.
 */

type Schema = Record<string, unknown>;
interface Document {
  paths?: Record<string, Record<string, Operation | unknown>>;
  components?: { schemas?: Record<string, Schema> };
}
interface Operation {
  parameters?: { name: string; in: string; $ref?: string }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** `/flows/{id}/` and `/flows/{flow_id}` are one route: no trailing slash, parameters unnamed. */
export function routeKey(path: string): string {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.replace(/\{[^}]+\}/g, '{}');
}

/** A schema reduced to what compatibility needs. */
interface Shape {
  /** JSON types, or null for "any value". */
  types: Set<string> | null;
  properties: Map<string, Schema> | null;
  required: Set<string>;
  items: Schema | null;
  enumValues: unknown[] | null;
  ref: string | null;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

class Resolver {
  constructor(private readonly document: Document) {}

  deref(schema: Schema): { schema: Schema; ref: string | null } {
    let ref: string | null = null;
    let current = schema;
    for (let hops = 0; hops < 20 && typeof current.$ref === 'string'; hops++) {
      ref = current.$ref;
      const name = ref.split('/').pop() as string;
      current = this.document.components?.schemas?.[name] ?? {};
    }
    return { schema: current, ref };
  }

  shape(input: Schema): Shape {
    const { schema, ref } = this.deref(input);
    const shape: Shape = {
      types: new Set(),
      properties: null,
      required: new Set(),
      items: null,
      enumValues: null,
      ref,
    };
    let any = false;
    const add = (s: Schema): void => {
      const { schema: part } = this.deref(s);
      const branches = [
        ...((part.anyOf as Schema[] | undefined) ?? []),
        ...((part.oneOf as Schema[] | undefined) ?? []),
      ];
      const allOf = (part.allOf as Schema[] | undefined) ?? [];
      for (const branch of [...branches, ...allOf]) add(branch);
      if ('const' in part) shape.types?.add(typeOf(part.const));
      if (Array.isArray(part.enum)) {
        shape.enumValues = [...(shape.enumValues ?? []), ...(part.enum as unknown[])];
        for (const v of part.enum as unknown[]) shape.types?.add(typeOf(v));
      }
      const declared = part.type;
      if (typeof declared === 'string') shape.types?.add(declared);
      else if (Array.isArray(declared)) for (const t of declared as string[]) shape.types?.add(t);
      if (part.nullable === true) shape.types?.add('null');
      if (part.properties !== undefined) {
        shape.types?.add('object');
        shape.properties ??= new Map();
        for (const [k, v] of Object.entries(part.properties as Record<string, Schema>)) {
          shape.properties.set(k, v);
        }
        for (const r of (part.required as string[] | undefined) ?? []) shape.required.add(r);
      }
      if (part.items !== undefined && typeof part.items === 'object') shape.items = part.items as Schema;
      const typed =
        branches.length > 0 ||
        allOf.length > 0 ||
        'const' in part ||
        part.enum !== undefined ||
        part.type !== undefined ||
        part.properties !== undefined;
      if (!typed) any = true;
    };
    add(schema);
    if (any && (shape.types?.size ?? 0) === 0) shape.types = null;
    else if (any) shape.types = null;
    return shape;
  }
}

function accepts(types: Set<string> | null, type: string): boolean {
  if (types === null) return true;
  return types.has(type) || (type === 'integer' && types.has('number'));
}

function describe(types: Set<string> | null): string {
  return types === null ? 'any' : [...types].sort().join('|') || 'nothing';
}

/** Compares one request or response schema pair, appending differences at `at`. */
class SchemaComparison {
  private readonly seen = new Set<string>();

  constructor(
    private readonly theirs: Resolver,
    private readonly ours: Resolver,
    private readonly out: string[],
  ) {}

  /** A request: ours must accept every value upstream's accepts. */
  request(contract: Schema, ours: Schema, at: string, depth = 0): void {
    const c = this.theirs.shape(contract);
    const o = this.ours.shape(ours);
    if (!this.firstVisit('req', c, o) || depth > 12) return;
    if (o.types === null) return;
    if (c.types === null) {
      this.out.push(`${at}: accepts ${describe(o.types)}, upstream any value`);
      return;
    }
    const missing = [...c.types].filter((t) => !accepts(o.types, t));
    if (missing.length > 0) {
      this.out.push(`${at}: accepts ${describe(o.types)}, upstream also ${missing.sort().join('|')}`);
    }
    if (c.enumValues !== null && o.enumValues !== null) {
      const refused = c.enumValues.filter((v) => !o.enumValues?.includes(v));
      if (refused.length > 0) this.out.push(`${at}: refuses upstream's values ${JSON.stringify(refused)}`);
    }
    if (c.properties !== null && o.properties !== null) {
      for (const [name, schema] of c.properties) {
        const mine = o.properties.get(name);
        if (mine === undefined) this.out.push(`${at}.${name}: not accepted (upstream reads it)`);
        else this.request(schema, mine, `${at}.${name}`, depth + 1);
      }
      for (const name of o.required) {
        if (!c.required.has(name)) this.out.push(`${at}.${name}: required here, optional upstream`);
      }
    } else if (c.properties !== null && c.properties.size > 0 && o.types.has('object')) {
      this.out.push(`${at}: an object of unlisted properties, upstream lists ${c.properties.size}`);
    }
    if (c.items !== null && o.items !== null) this.request(c.items, o.items, `${at}[]`, depth + 1);
  }

  /** A response: ours may only promise what upstream's promises, and every field upstream's has. */
  response(contract: Schema, ours: Schema, at: string, depth = 0): void {
    const c = this.theirs.shape(contract);
    const o = this.ours.shape(ours);
    if (!this.firstVisit('res', c, o) || depth > 12) return;
    if (c.types === null) return;
    if (o.types === null) {
      this.out.push(`${at}: any value, upstream ${describe(c.types)}`);
      return;
    }
    const extra = [...o.types].filter((t) => !accepts(c.types, t));
    if (extra.length > 0) {
      this.out.push(`${at}: may be ${extra.sort().join('|')}, upstream only ${describe(c.types)}`);
    }
    if (c.properties !== null) {
      if (o.properties === null) {
        if (c.properties.size > 0) this.out.push(`${at}: properties not documented`);
      } else {
        for (const [name, schema] of c.properties) {
          const mine = o.properties.get(name);
          if (mine === undefined) this.out.push(`${at}.${name}: missing`);
          else this.response(schema, mine, `${at}.${name}`, depth + 1);
        }
        for (const name of o.properties.keys()) {
          if (!c.properties.has(name)) this.out.push(`${at}.${name}: not in upstream's response`);
        }
      }
    }
    if (c.items !== null && o.items !== null) this.response(c.items, o.items, `${at}[]`, depth + 1);
    else if (c.items !== null && Object.keys(c.items).length > 0 && o.types.has('array')) {
      this.out.push(`${at}[]: items not documented`);
    }
  }

  /** Two named schemas are compared once; the first place they meet reports their differences. */
  private firstVisit(kind: string, c: Shape, o: Shape): boolean {
    if (c.ref === null || o.ref === null) return true;
    const key = `${kind} ${c.ref} ${o.ref}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }
}

function jsonSchemaOf(content: Record<string, { schema?: Schema }> | undefined): Schema | null {
  if (content === undefined) return null;
  const entry = content['application/json'] ?? Object.values(content)[0];
  return entry?.schema ?? null;
}

/**
 * Every difference between the contract and our document, one line each, sorted:
 * `POST /flows/: …` for an operation of the contract (named by the contract's path).
 */
export function compareWithContract(contract: Document, ours: Document): string[] {
  const out: string[] = [];
  const theirs = new Resolver(contract);
  const mine = new Resolver(ours);
  const comparison = new SchemaComparison(theirs, mine, out);
  const ourPaths = new Map<string, Record<string, unknown>>();
  for (const [path, item] of Object.entries(ours.paths ?? {})) ourPaths.set(routeKey(path), item);

  for (const [path, item] of Object.entries(contract.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method] as Operation | undefined;
      if (op === undefined) continue;
      const name = `${method.toUpperCase()} ${path}`;
      const ourOp = ourPaths.get(routeKey(path))?.[method] as Operation | undefined;
      if (ourOp === undefined) {
        out.push(`${name}: operation missing`);
        continue;
      }
      const ourParams = new Set((ourOp.parameters ?? []).map((p) => `${p.in} ${p.name}`));
      for (const p of op.parameters ?? []) {
        if (p.in !== 'query') continue; // path parameters are matched by the route; headers aside
        if (!ourParams.has(`query ${p.name}`)) out.push(`${name}: query parameter ${p.name} not documented`);
      }
      const theirBody = jsonSchemaOf(op.requestBody?.content);
      const ourBody = jsonSchemaOf(ourOp.requestBody?.content);
      if (theirBody !== null && ourBody === null) out.push(`${name}: request body not documented`);
      else if (theirBody !== null && ourBody !== null)
        comparison.request(theirBody, ourBody, `${name}: body`);

      const theirStatuses = Object.keys(op.responses ?? {}).filter((s) => s.startsWith('2'));
      const ourStatuses = Object.keys(ourOp.responses ?? {}).filter((s) => s.startsWith('2'));
      for (const status of theirStatuses) {
        if (!ourStatuses.includes(status)) {
          out.push(`${name}: status ${status} not declared (ours: ${ourStatuses.join(', ') || 'none'})`);
          continue;
        }
        const theirResponse = jsonSchemaOf(op.responses?.[status]?.content);
        const ourResponse = jsonSchemaOf(ourOp.responses?.[status]?.content);
        // `{}`: upstream promises nothing about this body (a bare dict, a streamed file…)
        if (theirResponse === null || Object.keys(theirResponse).length === 0) continue;
        if (ourResponse === null) out.push(`${name}: response ${status} body not documented`);
        else comparison.response(theirResponse, ourResponse, `${name}: response ${status}`);
      }
    }
  }
  return [...new Set(out)].sort();
}

/** The differences as "category: count" lines, the category being the text after the location. */
export function summarise(differences: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of differences) {
    const category = line
      .replace(/^[A-Z]+ \S+: /, '')
      .replace(/^(body|response \d+)[^:]*: /, '$1 … ')
      .replace(/ (parameter) \S+/, ' $1 X')
      .replace(/\[.*\]$/, '[…]')
      .replace(/\(ours: .*\)/, '(ours: …)');
    counts.set(category, (counts.get(category) ?? 0) + 1);
  }
  return counts;
}
