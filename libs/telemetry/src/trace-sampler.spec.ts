import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import * as sdkTrace from '@opentelemetry/sdk-trace-base';
import { orrerySampler } from './trace-sampler';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

function decide(env: NodeJS.ProcessEnv, spanName: string): sdkTrace.SamplingDecision {
  return orrerySampler(sdkTrace, env).shouldSample(ROOT_CONTEXT, TRACE_ID, spanName, SpanKind.CLIENT, {}, [])
    .decision;
}

describe('orrerySampler', () => {
  it.each([
    'pg.query:START orrery',
    'pg.query:BEGIN orrery',
    'pg.query:COMMIT orrery',
    'pg.query:ROLLBACK orrery',
    'pg.query:SAVEPOINT orrery',
    'pg.query:RELEASE orrery',
  ])('never records the transaction-control statement %s', (name) => {
    expect(decide({}, name)).toBe(sdkTrace.SamplingDecision.NOT_RECORD);
  });

  it('records queries and every other span by default (parentbased_always_on)', () => {
    for (const name of ['pg.query:SELECT orrery', 'pg.query:orrery_4 orrery', 'POST /api/events']) {
      expect(decide({}, name)).toBe(sdkTrace.SamplingDecision.RECORD_AND_SAMPLED);
    }
  });

  it('follows OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG for the rest', () => {
    expect(decide({ OTEL_TRACES_SAMPLER: 'always_off' }, 'POST /api/events')).toBe(
      sdkTrace.SamplingDecision.NOT_RECORD,
    );
    expect(
      decide({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }, 'POST /api/events'),
    ).toBe(sdkTrace.SamplingDecision.NOT_RECORD);
    expect(orrerySampler(sdkTrace, { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio' }).toString()).toMatch(
      /^WithoutTransactionControl\{ParentBased/,
    );
  });
});
