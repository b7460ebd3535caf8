import { allTriggers, parentsOf, type Trigger } from './automation.model';
import { parseTriggeredAction, serializeTriggeredAction, triggeredActionId } from './triggered-action';
import type { TriggeredAction } from './triggered-action';

const event = (id: string): Trigger => ({
  type: 'event',
  id,
  match: {},
  match_related: [],
  after: [],
  expect: ['x'],
  for_each: [],
  posture: 'Reactive',
  threshold: 1,
  within: 0,
});

describe('triggeredActionId', () => {
  const at = '2026-01-02T03:04:05.000Z';

  it('is the same for the same automation, firing and index, and a v7 UUID carrying the firing time', () => {
    const id = triggeredActionId('a', 'f', 0, at);
    expect(triggeredActionId('a', 'f', 0, at)).toBe(id);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.parse(at));
  });

  it('differs across indexes, firings and automations', () => {
    const ids = new Set([
      triggeredActionId('a', 'f', 0, at),
      triggeredActionId('a', 'f', 1, at),
      triggeredActionId('a', 'g', 0, at),
      triggeredActionId('b', 'f', 0, at),
    ]);
    expect(ids.size).toBe(4);
  });
});

describe('TriggeredAction JSON', () => {
  const action: TriggeredAction = {
    id: triggeredActionId('a', 'f', 0, '2026-01-01T00:00:00.000Z'),
    automation: {
      id: 'a',
      created: '2026-01-01T00:00:00.000Z',
      updated: '2026-01-01T00:00:00.000Z',
      name: 'n',
      description: '',
      enabled: true,
      tags: [],
      trigger: event('t'),
      actions: [{ type: 'do-nothing' }],
      actions_on_trigger: [],
      actions_on_resolve: [],
    },
    firing: null,
    triggered: '2026-01-01T00:00:00.000Z',
    triggering_labels: { 'prefect.resource.id': 'x' },
    triggering_event: null,
    action: { type: 'do-nothing' },
    action_index: 0,
    automation_triggered_event_id: null,
  };

  it('round-trips through its serialised form (string or bytes)', () => {
    const data = serializeTriggeredAction(action);
    expect(parseTriggeredAction(data)).toEqual(action);
    expect(parseTriggeredAction(Buffer.from(data))).toEqual(action);
  });

  it('rejects what is not a TriggeredAction', () => {
    expect(() => parseTriggeredAction('{"id":"x"}')).toThrow('not a TriggeredAction');
  });
});

describe('trigger trees', () => {
  it('walks parents before children and knows each child’s parent', () => {
    const root: Trigger = {
      type: 'sequence',
      id: 's',
      within: null,
      triggers: [
        event('a'),
        { type: 'compound', id: 'c', require: 'all', within: 10, triggers: [event('b')] },
      ],
    };
    expect(allTriggers(root).map((t) => t.id)).toEqual(['s', 'a', 'c', 'b']);
    const parents = parentsOf(root);
    expect(parents.get('b')?.id).toBe('c');
    expect(parents.get('a')?.id).toBe('s');
    expect(parents.has('s')).toBe(false);
  });
});
