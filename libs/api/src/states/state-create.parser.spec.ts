import { Instant } from '@orrery/domain';
import { RequestValidationError } from '@orrery/domain';
import { stateCreateFromBody } from './state-create.parser';

function issuesOf(raw: unknown): unknown[] {
  try {
    stateCreateFromBody(raw, ['body', 'state']);
  } catch (error) {
    if (error instanceof RequestValidationError) return [...error.issues];
    throw error;
  }
  throw new Error('expected a validation error');
}

describe('stateCreateFromBody', () => {
  it('reads the SDK proposal, state details included', () => {
    const state = stateCreateFromBody(
      {
        type: 'SCHEDULED',
        name: 'AwaitingRetry',
        message: null,
        data: { storage_key: 'k' },
        state_details: {
          scheduled_time: '2026-01-02 03:04:05.500000+00:00',
          transition_id: 't',
          deferred: null,
        },
      },
      ['body', 'state'],
    );
    expect(state).toMatchObject({
      type: 'SCHEDULED',
      name: 'AwaitingRetry',
      message: null,
      data: { storage_key: 'k' },
    });
    expect(state.stateDetails?.scheduledTime).toEqual(Instant.parse('2026-01-02T03:04:05.5Z'));
    expect(state.stateDetails?.transitionId).toBe('t');
  });

  it('names a missing body, a missing or unknown type, bad fields and extra keys', () => {
    expect(issuesOf(undefined)).toEqual([
      expect.objectContaining({ type: 'missing', loc: ['body', 'state'] }),
    ]);
    expect(issuesOf({})).toEqual([
      expect.objectContaining({ type: 'missing', loc: ['body', 'state', 'type'] }),
    ]);
    expect(issuesOf({ type: 'DONE', name: 3, extra: true })).toEqual([
      expect.objectContaining({ type: 'extra_forbidden', loc: ['body', 'state', 'extra'] }),
      expect.objectContaining({ type: 'enum', loc: ['body', 'state', 'type'] }),
      expect.objectContaining({ type: 'string_type', loc: ['body', 'state', 'name'] }),
    ]);
    expect(issuesOf({ type: 'RUNNING', state_details: { scheduled_time: 'soon' } })).toEqual([
      expect.objectContaining({
        type: 'datetime_from_date_parsing',
        loc: ['body', 'state', 'state_details', 'scheduled_time'],
        input: 'soon',
      }),
    ]);
    expect(issuesOf({ type: 'RUNNING', state_details: 7 })).toEqual([
      expect.objectContaining({ type: 'value_error', loc: ['body', 'state', 'state_details'] }),
    ]);
  });
});
