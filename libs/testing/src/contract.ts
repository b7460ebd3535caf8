import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Validates real responses against the wire contract, `../shared/contract/prefect-openapi.json`
 * (a Prefect 3.8.4 server's own OpenAPI document). Tests run with shared/ beside the checkout;
 * `ORRERY_CONTRACT_DIR` points elsewhere. The product never reads this file.
 */
export function contractDirectory(): string {
  return process.env.ORRERY_CONTRACT_DIR ?? resolve(__dirname, '..', '..', '..', '..', 'shared', 'contract');
}

interface OpenApiOperation {
  operationId: string;
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
}
type OpenApiDocument = {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, object> };
};

/** Error bodies Prefect sends on statuses its OpenAPI document does not list (404, 401, 409, …). */
const ERROR_BODY_SCHEMA = {
  anyOf: [
    { type: 'object', required: ['detail'], properties: { detail: { type: 'string' } } },
    {
      type: 'object',
      required: ['exception_message'],
      properties: { exception_message: { type: 'string' } },
    },
  ],
};

export interface ContractCheck {
  readonly method: string;
  /** The contract's path template, e.g. `/flow_runs/{id}` (no `/api` prefix). */
  readonly path: string;
  readonly status: number;
  readonly body: unknown;
}

/** The file the contract lives in (`prefect-openapi.json` under `contractDirectory()`). */
export function contractFile(): string {
  return join(contractDirectory(), 'prefect-openapi.json');
}

/** Whether the wire contract is here; suites that need it are skipped without it (jest-contract-gate). */
export function contractAvailable(): boolean {
  return existsSync(contractFile());
}

/**
 * A value read from the contract on first use rather than when the spec module loads, so that a
 * spec whose tests are skipped (no contract) still loads: `const core = lazy(() => JSON.parse(…))`.
 */
export function lazy<T extends object>(load: () => T): T {
  let value: T | undefined;
  const get = (): T => (value ??= load());
  return new Proxy({} as T, {
    get: (_target, key) => {
      const target = get();
      const property = Reflect.get(target, key) as unknown;
      // Methods run on the real value (a Map's get() refuses any other receiver).
      return typeof property === 'function'
        ? (property as (...a: unknown[]) => unknown).bind(target)
        : property;
    },
    has: (_target, key) => Reflect.has(get(), key),
    ownKeys: () => Reflect.ownKeys(get()),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(get(), key);
      return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
    },
  });
}

interface LoadedContract {
  readonly document: OpenApiDocument;
  readonly ajv: Ajv2020;
  readonly errorBody: ValidateFunction;
}

export class ContractValidator {
  private loaded: LoadedContract | undefined;
  private readonly validators = new Map<string, ValidateFunction>();

  /** Reads nothing yet: the contract is loaded on first use (a skipped suite never loads it). */
  constructor(private readonly file = contractFile()) {}

  private load(): LoadedContract {
    if (this.loaded !== undefined) return this.loaded;
    if (!existsSync(this.file)) {
      throw new Error(
        `the wire contract is missing: ${this.file} (run the tests with ../shared beside the checkout)`,
      );
    }
    const document = JSON.parse(readFileSync(this.file, 'utf8')) as OpenApiDocument;
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(ajv);
    ajv.addSchema({ $id: 'contract', components: document.components }, 'contract');
    this.loaded = { document, ajv, errorBody: ajv.compile(ERROR_BODY_SCHEMA) };
    return this.loaded;
  }

  get document(): OpenApiDocument {
    return this.load().document;
  }

  operation(method: string, path: string): OpenApiOperation {
    const op = this.document.paths[path]?.[method.toLowerCase()];
    if (op === undefined) throw new Error(`${method} ${path} is not an operation of the contract`);
    return op;
  }

  /** Returns a list of human-readable problems; empty when the response honours the contract. */
  problems({ method, path, status, body }: ContractCheck): string[] {
    const op = this.operation(method, path);
    // Prefect sets 201 at run time on routes whose schema only declares 200 (the upsert rule):
    // the body is the same model.
    const declared = op.responses[String(status)] ?? (status === 201 ? op.responses['200'] : undefined);
    if (declared === undefined) {
      if (status < 400) return [`${method} ${path}: status ${status} is not declared by the contract`];
      return this.load().errorBody(body)
        ? []
        : [`${method} ${path} ${status}: not a Prefect error body: ${JSON.stringify(body)}`];
    }
    const schema = declared.content?.['application/json']?.schema;
    if (schema === undefined) return [];
    // Prefect raises HTTPException(422, "<message>") in places its schema declares
    // HTTPValidationError (e.g. "CSRF protection is disabled."); clients read that string, so
    // the real server's explicit-error body is accepted there.
    if (status === 422 && this.load().errorBody(body)) return [];
    const key = `${method} ${path} ${status}`;
    let validate = this.validators.get(key);
    if (validate === undefined) {
      validate = this.load().ajv.compile(rewriteRefs(schema));
      this.validators.set(key, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (e) => `${key}: ${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
    );
  }

  /** Throws with every problem listed when the response breaks the contract. */
  assert(check: ContractCheck): void {
    recordCoverage(check);
    const problems = this.problems(check);
    if (problems.length > 0) {
      throw new Error(
        `response breaks the contract:\n${problems.join('\n')}\nbody: ${JSON.stringify(check.body)}`,
      );
    }
  }
}

/** Points `#/components/...` references at the registered contract document. */
function rewriteRefs(schema: unknown): object {
  return JSON.parse(
    JSON.stringify(schema).replace(/"\$ref":"#\/components\//g, '"$ref":"contract#/components/'),
  ) as object;
}

/**
 * Where contract tests record which operations they exercised (one JSON line per checked response),
 * for `tools/contract-coverage.mjs`. Set by `npm test`; unset, nothing is recorded.
 */
export const CONTRACT_COVERAGE_DIR_ENV = 'ORRERY_CONTRACT_COVERAGE_DIR';

function recordCoverage({ method, path, status }: ContractCheck): void {
  const dir = process.env[CONTRACT_COVERAGE_DIR_ENV];
  if (dir === undefined || dir === '') return;
  mkdirSync(dir, { recursive: true });
  appendFileSync(
    join(dir, `${process.pid}.jsonl`),
    `${JSON.stringify({ method: method.toUpperCase(), path, status })}\n`,
  );
}

/** What a contract call answered: the status and the parsed JSON body (null when empty). */
export interface ContractAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** The part of a Nest Fastify app a contract call needs (its HTTP inject). */
interface Injectable {
  getHttpAdapter(): {
    getInstance(): {
      inject(request: {
        method: 'GET';
        url: string;
        headers?: Record<string, string>;
        payload?: string;
      }): Promise<{ statusCode: number; body: string; json(): unknown }>;
    };
  };
}

/**
 * `call(method, url, path, body?)` through the app's HTTP inject (JSON in and out), every answer
 * asserted against the contract; `path` is the contract's path template (`/flows/{id}`). `app` is
 * read at call time, so a spec can create it in `beforeAll`.
 */
export function contractCall(
  app: () => Injectable,
  contract: ContractValidator,
): (method: string, url: string, path: string, body?: unknown) => Promise<ContractAnswer> {
  return async (method, url, path, body) => {
    const response = await app()
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: method as 'GET',
        url,
        ...(body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) }),
      });
    const parsed: unknown = response.body === '' ? null : response.json();
    contract.assert({ method, path, status: response.statusCode, body: parsed });
    return { status: response.statusCode, body: parsed as Record<string, unknown> };
  };
}
