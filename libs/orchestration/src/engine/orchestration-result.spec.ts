import { Instant } from '@orrery/domain';
import { stateFixture } from '../testing/run-fixtures';
import { orchestrationResultToWire, responseDetailsToWire } from './orchestration-result';

describe('OrchestrationResult wire form (spec-api §3.3)', () => {
  it('writes each kind of details', () => {
    expect(responseDetailsToWire({ type: 'accept_details' })).toEqual({ type: 'accept_details' });
    expect(responseDetailsToWire({ type: 'reject_details', reason: 'r' })).toEqual({
      type: 'reject_details',
      reason: 'r',
    });
    expect(responseDetailsToWire({ type: 'wait_details', delaySeconds: 5, reason: null })).toEqual({
      type: 'wait_details',
      delay_seconds: 5,
      reason: null,
    });
    expect(responseDetailsToWire({ type: 'abort_details', reason: 'a' })).toEqual({
      type: 'abort_details',
      reason: 'a',
    });
  });

  it('writes the state with snake_case details, or null', () => {
    const state = stateFixture({ type: 'RUNNING' }, Instant.parse('2026-01-01T00:00:00Z'));
    const wire = orchestrationResultToWire({ state, status: 'ACCEPT', details: { type: 'accept_details' } });
    expect(wire).toMatchObject({
      status: 'ACCEPT',
      details: { type: 'accept_details' },
      state: { id: state.id, type: 'RUNNING', name: 'Running', timestamp: '2026-01-01T00:00:00.000000Z' },
    });
    expect((wire['state'] as Record<string, unknown>)['state_details']).toHaveProperty('flow_run_id', null);
    expect(
      orchestrationResultToWire({
        state: null,
        status: 'ABORT',
        details: { type: 'abort_details', reason: null },
      })['state'],
    ).toBeNull();
  });
});
