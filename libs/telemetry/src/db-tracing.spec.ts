import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AlwaysOffSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { EventEmitter } from 'node:events';
import { MAX_TRACED_QUERY_TEXT, operationOf, traceQueries } from './db-tracing';

/** Stands in for pg's Client: answers after a tick, fails statements that say FAIL. */
class FakeClient {
  readonly database = 'orrery';
  readonly host = '127.0.0.1';
  readonly port = 5432;
  readonly sent: unknown[][] = [];

  query(...args: unknown[]): unknown {
    this.sent.push(args);
    // A submittable (pg's Query, rows to its listeners): returned as is; the test ends it.
    if (args[0] instanceof EventEmitter) return args[0];
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text;
    const outcome = (): [Error | null, { rows: [] }] => {
      if (!text.includes('FAIL')) return [null, { rows: [] }];
      return [
        Object.assign(new Error('boom'), { code: '23505', detail: 'Key (name)=(secret)' }),
        { rows: [] },
      ];
    };
    const callback = args.find((a) => typeof a === 'function') as
      ((error: Error | null, result: unknown) => void) | undefined;
    if (callback !== undefined) {
      setImmediate(() => callback(...outcome()));
      return undefined;
    }
    return new Promise((resolve, reject) =>
      setImmediate(() => {
        const [error, result] = outcome();
        if (error === null) resolve(result);
        else reject(error);
      }),
    );
  }
}
traceQueries(FakeClient);

describe('traceQueries', () => {
  const exporter = new InMemorySpanExporter();
  const tracer = () => trace.getTracer('test');
  beforeAll(() => {
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
    );
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });
  afterAll(() => {
    trace.disable();
    context.disable();
  });
  beforeEach(() => exporter.reset());

  const inSpan = <T>(work: () => Promise<T>): Promise<T> =>
    tracer().startActiveSpan('parent', async (span) => {
      try {
        return await work();
      } finally {
        span.end();
      }
    });
  const querySpans = () => exporter.getFinishedSpans().filter((s) => s.name !== 'parent');

  it('gives a statement inside a recorded span a client span with its text and outcome', async () => {
    const client = new FakeClient();
    const text = '/* orrery:custom-plan */ SELECT * FROM flow_run WHERE id = $1';
    await inSpan(() => client.query(text, ['a']) as Promise<unknown>);
    const [span] = querySpans();
    expect(span?.name).toBe('SELECT orrery');
    expect(span?.attributes).toEqual({
      'db.system.name': 'postgresql',
      'db.namespace': 'orrery',
      'db.operation.name': 'SELECT',
      'db.query.text': text,
      'server.address': '127.0.0.1',
      'server.port': 5432,
    });
    expect(span?.parentSpanContext?.spanId).toBe(
      exporter
        .getFinishedSpans()
        .find((s) => s.name === 'parent')!
        .spanContext().spanId,
    );
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    expect(client.sent).toEqual([[text, ['a']]]);
  });

  it('records a failure by code and message, never the detail that holds the values', async () => {
    const client = new FakeClient();
    await expect(
      inSpan(() => client.query('INSERT INTO x VALUES ($1) -- FAIL', [1]) as Promise<unknown>),
    ).rejects.toThrow('boom');
    const [span] = querySpans();
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' });
    expect(span?.attributes['db.response.status_code']).toBe('23505');
    expect(JSON.stringify(span?.attributes)).not.toContain('secret');
  });

  it('ends the span when a callback-style query answers, and the callback still gets the result', async () => {
    const client = new FakeClient();
    const answered = await inSpan(
      () =>
        new Promise((resolve) =>
          client.query('UPDATE x SET y = 1', [], (error: unknown, result: unknown) =>
            resolve([error, result]),
          ),
        ),
    );
    expect(answered).toEqual([null, { rows: [] }]);
    expect(querySpans().map((s) => s.name)).toEqual(['UPDATE orrery']);
  });

  it('ends the span of a submitted query when it ends or fails, not when it is sent', async () => {
    const client = new FakeClient();
    const submit = (text: string, outcome: 'end' | 'error') =>
      inSpan(async () => {
        const ended = querySpans().length;
        const query = Object.assign(new EventEmitter(), { text, values: [1] });
        client.query(query);
        await new Promise((resolve) => setImmediate(resolve));
        expect(querySpans()).toHaveLength(ended); // still running
        if (outcome === 'end') query.emit('end');
        else query.emit('error', Object.assign(new Error('stream broke'), { code: '57014' }));
      });
    await submit('SELECT n FROM series WHERE n < $1', 'end');
    await submit('SELECT n FROM series WHERE n > $1', 'error');
    expect(querySpans().map((s) => [s.name, s.status.code, s.status.message])).toEqual([
      ['SELECT orrery', SpanStatusCode.UNSET, undefined],
      ['SELECT orrery', SpanStatusCode.ERROR, 'stream broke'],
    ]);
  });

  it('leaves transaction control, statements outside a trace and bulk text alone', async () => {
    const client = new FakeClient();
    await inSpan(async () => {
      for (const text of [
        'BEGIN',
        'START TRANSACTION ISOLATION LEVEL SERIALIZABLE',
        'COMMIT',
        'ROLLBACK',
        'SAVEPOINT s1',
        'RELEASE SAVEPOINT s1',
      ])
        await client.query(text);
    });
    await client.query('SELECT 1');
    expect(querySpans()).toEqual([]);
    const bulk = `INSERT INTO log VALUES ${'($1),'.repeat(2000)}($1)`;
    await inSpan(() => client.query({ text: bulk, values: [1] }) as Promise<unknown>);
    expect(String(querySpans()[0]?.attributes['db.query.text'])).toHaveLength(MAX_TRACED_QUERY_TEXT);
  });

  it('makes no span inside a trace the sampler dropped', async () => {
    const dropped = new BasicTracerProvider({ sampler: new AlwaysOffSampler() }).getTracer('dropped');
    const client = new FakeClient();
    await dropped.startActiveSpan('unsampled', async (span) => {
      expect(span.isRecording()).toBe(false);
      await client.query('SELECT 1');
      span.end();
    });
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('names the operation by the first keyword after comments', () => {
    expect(operationOf('  /* a */ /* b */\n-- c\n with x as (select 1) select * from x')).toBe('WITH');
    expect(operationOf('')).toBe('QUERY');
  });
});
