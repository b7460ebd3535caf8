import { Instant } from './instant';
import {
  completeStateDetails,
  copyState,
  emptyStateDetails,
  stateCreateFromWire,
  stateDetailsFromWire,
  stateDetailsToWire,
  stateFromCreate,
  stateToWire,
} from './state';

const T = Instant.parse('2026-01-02T03:04:05.123456Z');

describe('StateDetails wire mapping', () => {
  it('writes every field with its snake_case name and µs datetimes', () => {
    const details = completeStateDetails({ scheduledTime: T, transitionId: 'abc', pauseReschedule: true });
    const wire = stateDetailsToWire(details);
    expect(Object.keys(wire)).toEqual([
      'flow_run_id',
      'task_run_id',
      'child_flow_run_id',
      'scheduled_time',
      'cache_key',
      'cache_expiration',
      'deferred',
      'untrackable_result',
      'pause_timeout',
      'pause_reschedule',
      'pause_key',
      'run_input_keyset',
      'refresh_cache',
      'retriable',
      'transition_id',
      'task_parameters_id',
      'traceparent',
      'deployment_concurrency_lease_id',
    ]);
    expect(wire['scheduled_time']).toBe('2026-01-02T03:04:05.123456Z');
    expect(wire['deferred']).toBe(false);
    expect(wire['pause_reschedule']).toBe(true);
    expect(wire['transition_id']).toBe('abc');
  });

  it('reads back what it writes', () => {
    const details = completeStateDetails({
      cacheExpiration: T,
      runInputKeyset: { response: 'k' },
      retriable: false,
      deploymentConcurrencyLeaseId: 'lease',
    });
    expect(stateDetailsFromWire(stateDetailsToWire(details))).toEqual(details);
  });

  it('reads lenient input: absent keys default, null booleans keep defaults, space-separated datetimes', () => {
    const details = stateDetailsFromWire({
      scheduled_time: '2026-01-02 03:04:05.123456+00:00',
      pause_reschedule: null,
      unknown_key: 1,
    });
    expect(details.scheduledTime?.equals(T)).toBe(true);
    expect(details.pauseReschedule).toBe(false);
    expect(details.deferred).toBe(false);
    expect(stateDetailsFromWire(null)).toEqual(emptyStateDetails());
  });

  it("reads pydantic's lax forms: epoch seconds for datetimes (the SDK's pause_timeout), 'yes' for booleans", () => {
    const details = stateDetailsFromWire({
      pause_timeout: 1796592552.126133,
      scheduled_time: '1796592552',
      cache_expiration: 1796592552126,
      refresh_cache: 'yes',
      flow_run_id: '{0190AA3C-7D4F-7E3A-9B1C-123456789ABC}',
    });
    expect(details.pauseTimeout?.toISOString()).toBe('2026-12-06T21:29:12.126133Z');
    expect(details.scheduledTime?.toISOString()).toBe('2026-12-06T21:29:12.000000Z');
    expect(details.cacheExpiration?.toISOString()).toBe('2026-12-06T21:29:12.126000Z');
    expect(details.refreshCache).toBe(true);
    expect(details.flowRunId).toBe('0190aa3c-7d4f-7e3a-9b1c-123456789abc');
  });

  it('rejects badly typed fields, naming them', () => {
    expect(() => stateDetailsFromWire({ refresh_cache: 'maybe' })).toThrow('state_details.refresh_cache');
    expect(() => stateDetailsFromWire({ scheduled_time: 'soon' })).toThrow('state_details.scheduled_time');
    expect(() => stateDetailsFromWire({ scheduled_time: true })).toThrow('state_details.scheduled_time');
    expect(() => stateDetailsFromWire({ cache_key: 1 })).toThrow('state_details.cache_key');
    expect(() => stateDetailsFromWire([])).toThrow('must be an object');
  });
});

describe('states', () => {
  it('promotes a proposal with the default name and, for SCHEDULED, scheduled_time = now', () => {
    const scheduled = stateFromCreate({ type: 'SCHEDULED' }, 'id-1', T);
    expect(scheduled).toMatchObject({
      id: 'id-1',
      type: 'SCHEDULED',
      name: 'Scheduled',
      message: null,
      data: null,
    });
    expect(scheduled.stateDetails.scheduledTime?.equals(T)).toBe(true);
    expect(stateFromCreate({ type: 'CANCELLING' }, 'id-2', T).name).toBe('Cancelling');
    expect(stateFromCreate({ type: 'RUNNING', name: 'Retrying' }, 'id-3', T).name).toBe('Retrying');
    const later = T.plusSeconds(60);
    expect(
      stateFromCreate({ type: 'SCHEDULED', stateDetails: { scheduledTime: later } }, 'id-4', T).stateDetails
        .scheduledTime,
    ).toBe(later);
  });

  it('copies deeply enough that the copy is independent', () => {
    const state = stateFromCreate({ type: 'RUNNING' }, 'id', T);
    const copy = copyState(state);
    copy.stateDetails.cacheKey = 'x';
    expect(state.stateDetails.cacheKey).toBeNull();
  });

  it('reads a StateCreate body and writes a State response', () => {
    const create = stateCreateFromWire({
      type: 'FAILED',
      message: 'boom',
      state_details: { retriable: false },
    });
    expect(create).toMatchObject({ type: 'FAILED', name: null, message: 'boom', data: null });
    expect(create.stateDetails?.retriable).toBe(false);
    expect(() => stateCreateFromWire({ type: 'DONE' })).toThrow('Invalid state type');
    const wire = stateToWire(stateFromCreate(create, 'id', T));
    expect(wire).toMatchObject({
      id: 'id',
      type: 'FAILED',
      name: 'Failed',
      timestamp: '2026-01-02T03:04:05.123456Z',
    });
    expect((wire['state_details'] as Record<string, unknown>)['retriable']).toBe(false);
  });
});
