import { Instant } from '@orrery/domain';
import { DEFAULT_EVENT_LIMITS } from './event.model';
import { EventValidationError } from './event-validation.error';
import { EventValidator } from './event.validator';

const ID = '01A202BE-B691-75BF-8411-122EB66EBFD5';

function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    occurred: '2026-11-22T10:13:02.735792Z',
    event: 'prefect.flow-run.heartbeat',
    resource: { 'prefect.resource.id': 'prefect.flow-run.ca6a', 'prefect.resource.name': 'elite-sloth' },
    related: [{ 'prefect.resource.id': 'prefect.flow.e5f7', 'prefect.resource.role': 'flow' }],
    payload: {},
    id: ID,
    follows: null,
    ...overrides,
  };
}

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof EventValidationError) return error.issues.map((i) => `${i.loc.join('.')}: ${i.msg}`);
    throw error;
  }
  throw new Error('expected an EventValidationError');
}

describe('EventValidator', () => {
  const validator = new EventValidator({
    ...DEFAULT_EVENT_LIMITS,
    maximumEventNameLength: 10 + 'prefect.flow-run.heartbeat'.length,
    maximumLabelsPerResource: 3,
    maximumRelatedResources: 2,
  });

  it('accepts an SDK event, normalising the id and timestamps, ignoring unknown fields', () => {
    const parsed = validator.parse(event({ extra: 1, occurred: '2026-11-22T11:13:02.735792+01:00' }));
    expect(parsed).toEqual({
      id: ID.toLowerCase(),
      occurred: '2026-11-22T10:13:02.735792Z',
      event: 'prefect.flow-run.heartbeat',
      resource: { 'prefect.resource.id': 'prefect.flow-run.ca6a', 'prefect.resource.name': 'elite-sloth' },
      related: [{ 'prefect.resource.id': 'prefect.flow.e5f7', 'prefect.resource.role': 'flow' }],
      payload: {},
      follows: null,
    });
  });

  it('defaults related, payload and follows', () => {
    const { related, payload, follows } = validator.parse(
      event({ related: undefined, payload: undefined, follows: undefined }),
    );
    expect({ related, payload, follows }).toEqual({ related: [], payload: {}, follows: null });
  });

  it('reads occurred as Unix seconds or milliseconds and ids in every UUID form, as pydantic does', () => {
    const hex = ID.replace(/-/g, '');
    const canonical = ID.toLowerCase();
    for (const occurred of [1795342382.735792, '1795342382.735792', 1795342382735.792]) {
      expect(validator.parse(event({ occurred })).occurred).toBe('2026-11-22T10:13:02.735792Z');
    }
    expect(validator.parse(event({ occurred: 1795342382 })).occurred).toBe('2026-11-22T10:13:02.000000Z');
    for (const id of [hex, `{${ID}}`, `urn:uuid:${hex.toLowerCase()}`]) {
      const parsed = validator.parse(event({ id, follows: id }));
      expect([parsed.id, parsed.follows]).toEqual([canonical, canonical]);
    }
    expect(issuesOf(() => validator.parse(event({ id: 7, follows: `{${hex}}`, occurred: true })))).toEqual([
      'id: UUID input should be a string, bytes or UUID object',
      'occurred: Input should be a valid datetime',
      'follows: Input should be a valid UUID',
    ]);
  });

  it('names every missing or malformed field', () => {
    expect(issuesOf(() => validator.parse({}))).toEqual([
      'id: Field required',
      'occurred: Field required',
      'event: Field required',
      'resource: Field required',
    ]);
    expect(
      issuesOf(() => validator.parse(event({ id: 'nope', follows: 'x', payload: [], occurred: 'x' }))),
    ).toEqual([
      'id: Input should be a valid UUID',
      'occurred: Input should be a valid datetime or date',
      'payload: Input should be a valid dictionary',
      'follows: Input should be a valid UUID',
    ]);
    expect(issuesOf(() => validator.parse([]))).toEqual([': Input should be a valid dictionary or object']);
  });

  it('requires a non-empty resource id and related roles, and string labels', () => {
    expect(issuesOf(() => validator.parse(event({ resource: { a: 'b' } })))).toEqual([
      'resource: Value error, Resources must include the prefect.resource.id label',
    ]);
    expect(issuesOf(() => validator.parse(event({ resource: { 'prefect.resource.id': '' } })))).toEqual([
      'resource: Value error, The prefect.resource.id label must be non-empty',
    ]);
    expect(
      issuesOf(() =>
        validator.parse(
          event({
            related: [
              { 'prefect.resource.id': 'x' },
              { 'prefect.resource.id': 'y', 'prefect.resource.role': 'r', n: 1 },
            ],
          }),
        ),
      ),
    ).toEqual([
      'related.0: Value error, Resources must include the prefect.resource.role label',
      'related.1.n: Input should be a valid string',
    ]);
  });

  it('enforces the name, label and related limits', () => {
    expect(issuesOf(() => validator.parse(event({ event: 'x'.repeat(37) })))).toEqual([
      'event: Value error, Event name must be at most 36 characters',
    ]);
    validator.parse(event({ event: 'x'.repeat(36) }));
    expect(
      issuesOf(() =>
        validator.parse(event({ resource: { 'prefect.resource.id': 'a', b: '', c: '', d: '' } })),
      ),
    ).toEqual(['resource: Value error, The maximum number of labels per resource is 3']);
    const related = { 'prefect.resource.id': 'a', 'prefect.resource.role': 'r' };
    expect(issuesOf(() => validator.parse(event({ related: [related, related, related] })))).toEqual([
      'related: Value error, The maximum number of related resources is 2',
    ]);
  });

  it('stamps received and reads received events back', () => {
    const now = Instant.parse('2026-11-22T10:00:00.000001Z');
    const received = EventValidator.receive(validator.parse(event()), now);
    expect(received.received).toBe('2026-11-22T10:00:00.000001Z');
    expect(validator.parseReceived(JSON.parse(JSON.stringify(received)))).toEqual(received);
    // Server-side emitters publish without `received`: it defaults to now, as upstream's model.
    expect(validator.parseReceived(event(), now).received).toBe('2026-11-22T10:00:00.000001Z');
    expect(issuesOf(() => validator.parseReceived({ ...event(), received: 'x' }))).toEqual([
      'received: Input should be a valid datetime or date',
    ]);
  });
});
