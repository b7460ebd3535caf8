import type { EventEmitter } from 'node:events';
import { type Attributes, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('orrery-pg');

/**
 * Statements that get no span: transaction control says nothing the enclosing span (the
 * orchestration transaction, a job, a consumer) does not, whose duration covers it and whose status
 * says whether it committed.
 */
const UNTRACED_OPERATIONS = new Set(['START', 'BEGIN', 'COMMIT', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'END']);

/** Statement text kept on a span (bulk inserts can be megabytes of placeholders). */
export const MAX_TRACED_QUERY_TEXT = 4096;

const PATCHED = Symbol.for('orrery.telemetry.pg-query-spans');

/** The first keyword of a statement, after leading comments (`/* orrery:custom-plan *\/ SELECT …`). */
export function operationOf(text: string): string {
  const match = /^(?:\s+|\/\*[\s\S]*?\*\/|--[^\n]*(?:\n|$))*([A-Za-z]+)/.exec(text);
  return match === null ? 'QUERY' : match[1]!.toUpperCase();
}

/** The part of a pg Client this file reads (its connection parameters). */
interface PgClientFields {
  readonly database?: string;
  readonly host?: string;
  readonly port?: number;
}

type QueryMethod = (this: PgClientFields, ...args: unknown[]) => unknown;

/**
 * Gives every statement a pg Client sends inside a *recorded* span a CLIENT span `<OPERATION>
 * <database>` (transaction control excepted), with the statement text as sent — parameterised, so
 * no values — and the outcome. Outside a recorded span (no trace, or a trace the sampler dropped)
 * the call goes straight to pg: unlike `@opentelemetry/instrumentation-pg`, which this replaces, it
 * builds no attributes, no non-recording span and no duration metric there (libs/telemetry/README.md
 * has the measurements). Patches `clientClass.prototype.query` once; subclasses that call it (the
 * preparing client) are covered.
 */
export function traceQueries(clientClass: { readonly prototype: object }): void {
  const prototype = clientClass.prototype as { query: QueryMethod; [PATCHED]?: true };
  if (prototype[PATCHED] === true) return;
  const original = prototype.query;
  prototype.query = function query(this: PgClientFields, ...args: unknown[]): unknown {
    const parent = trace.getActiveSpan();
    if (parent === undefined || !parent.isRecording()) return original.apply(this, args);
    const [config] = args;
    const text = typeof config === 'string' ? config : (config as { text?: unknown } | null)?.text;
    if (typeof text !== 'string') return original.apply(this, args);
    const operation = operationOf(text);
    if (UNTRACED_OPERATIONS.has(operation)) return original.apply(this, args);
    const database = this.database ?? 'postgres';
    const attributes: Attributes = {
      'db.system.name': 'postgresql',
      'db.namespace': database,
      'db.operation.name': operation,
      'db.query.text': text.length > MAX_TRACED_QUERY_TEXT ? text.slice(0, MAX_TRACED_QUERY_TEXT) : text,
    };
    if (this.host !== undefined) attributes['server.address'] = this.host;
    if (this.port !== undefined) attributes['server.port'] = this.port;
    const span = tracer.startSpan(`${operation} ${database}`, { kind: SpanKind.CLIENT, attributes });
    const end = (error: unknown): void => {
      if (error !== undefined && error !== null) {
        // The message only: PostgreSQL puts the offending values in `detail`, never on a span.
        const { code, message } = error as { code?: unknown; message?: unknown };
        if (typeof code === 'string') span.setAttribute('db.response.status_code', code);
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: typeof message === 'string' ? message : undefined,
        });
      }
      span.end();
    };
    const last = args.length - 1;
    const callback = args[last];
    if (last > 0 && typeof callback === 'function') {
      args[last] = function (this: unknown, error: unknown, ...rest: unknown[]): unknown {
        end(error);
        return (callback as (...a: unknown[]) => unknown).call(this, error, ...rest);
      };
      return original.apply(this, args);
    }
    let result: unknown;
    try {
      result = original.apply(this, args);
    } catch (error) {
      end(error);
      throw error;
    }
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
      (result as PromiseLike<unknown>).then(
        () => end(undefined),
        (error: unknown) => end(error ?? new Error('query failed')),
      );
    } else if (typeof (result as Partial<EventEmitter> | undefined)?.once === 'function') {
      // A submitted Query (rows streamed to its 'row' listeners) answers with events.

      const submitted = result as EventEmitter;
      submitted.once('end', () => end(undefined));
      submitted.once('error', (error: unknown) => end(error ?? new Error('query failed')));
    } else {
      end(undefined);
    }
    return result;
  };
  prototype[PATCHED] = true;
}
