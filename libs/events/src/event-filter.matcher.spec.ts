import type { EventCriteria } from '@orrery/persistence';
import { eventMatches } from './event-filter.matcher';
import type { ReceivedEvent } from './event.model';

const EVENT: ReceivedEvent = {
  id: '01a202be-b691-75bf-8411-122eb66ebfd5',
  occurred: '2026-11-22T10:00:00.000000Z',
  received: '2026-11-22T10:00:01.000000Z',
  event: 'prefect.flow-run.Running',
  resource: { 'prefect.resource.id': 'prefect.flow-run.a', 'prefect.resource.name': 'alpha' },
  related: [
    {
      'prefect.resource.id': 'prefect.flow.f1',
      'prefect.resource.role': 'flow',
      'prefect.resource.name': 'etl',
    },
    { 'prefect.resource.id': 'prefect.tag.prod', 'prefect.resource.role': 'tag' },
  ],
  payload: { message: 'Connection Timeout' },
  follows: null,
};

const ALL: EventCriteria = {
  since: '2026-11-22T00:00:00.000000Z',
  until: '2026-11-22T09:00:00.000000Z',
  event: null,
  resource: null,
  related: [],
  anyResource: [],
  ids: null,
  text: null,
  order: 'ASC',
};

describe('eventMatches', () => {
  it('applies the window, with an open end for live subscriptions', () => {
    expect(eventMatches(ALL, EVENT)).toBe(false);
    expect(eventMatches(ALL, EVENT, true)).toBe(true);
    expect(eventMatches({ ...ALL, since: '2026-11-22T10:00:00.000001Z' }, EVENT, true)).toBe(false);
  });

  it('matches names, resources, labels, related, any resource, ids and text like the SQL', () => {
    const m = (c: Partial<EventCriteria>): boolean => eventMatches({ ...ALL, ...c }, EVENT, true);
    const name = { prefix: null, excludePrefix: null, name: null, excludeName: null };
    expect(m({ event: { ...name, prefix: ['prefect.flow-run.'] } })).toBe(true);
    expect(m({ event: { ...name, excludePrefix: ['prefect.flow'] } })).toBe(false);
    expect(m({ event: { ...name, name: ['prefect.flow-run.Completed'] } })).toBe(false);
    const resource = { id: null, idPrefix: null, labels: null, distinct: false };
    expect(m({ resource: { ...resource, idPrefix: ['prefect.flow-run.'] } })).toBe(true);
    expect(m({ resource: { ...resource, labels: { 'prefect.resource.name': ['beta', 'al*'] } } })).toBe(true);
    expect(m({ resource: { ...resource, labels: { 'prefect.resource.name': '!alpha' } } })).toBe(false);
    expect(m({ resource: { ...resource, labels: { missing: '!x' } } })).toBe(false);
    const related = { id: null, role: null, resourcesInRoles: null, labels: null };
    expect(
      m({
        related: [
          { ...related, role: ['tag'] },
          { ...related, id: ['prefect.flow.f1'] },
        ],
      }),
    ).toBe(true);
    expect(m({ related: [{ ...related, resourcesInRoles: [['prefect.flow.f1', 'tag']] }] })).toBe(false);
    expect(m({ related: [{ ...related, id: ['prefect.flow-run.a'] }] })).toBe(false);
    expect(m({ related: [{ ...related, labels: { 'prefect.resource.name': 'et*' } }] })).toBe(true);
    expect(m({ anyResource: [{ id: ['prefect.flow-run.a'], idPrefix: null, labels: null }] })).toBe(true);
    expect(
      m({
        anyResource: [{ id: null, idPrefix: ['prefect.tag.'], labels: { 'prefect.resource.role': 'tag' } }],
      }),
    ).toBe(true);
    expect(m({ ids: [EVENT.id] })).toBe(true);
    // Empty lists constrain nothing (Prefect tests them for truthiness; the worker sends `id: []`).
    expect(m({ ids: [] })).toBe(true);
    expect(m({ event: { ...name, name: [] }, related: [{ ...related, role: [] }] })).toBe(true);
    expect(m({ ids: ['01a202be-0000-7000-8000-000000000000'] })).toBe(false);
    expect(m({ text: '"connection timeout" +alpha' })).toBe(true);
    expect(m({ text: 'flow -prod' })).toBe(false);
  });
});
