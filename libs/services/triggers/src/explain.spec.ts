import type { AutomationRecord, TriggeringEvent } from '@orrery/automations';
import { Instant } from '@orrery/domain';
import { explainAutomation } from './explain';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const automation = (trigger: AutomationRecord['trigger']): AutomationRecord => ({
  id: 'a',
  created: Instant.now(),
  updated: Instant.now(),
  name: 'explained',
  description: '',
  enabled: false,
  tags: [],
  trigger,
  actions: [{ type: 'do-nothing' }],
  actionsOnTrigger: [],
  actionsOnResolve: [],
});
const event = (name: string, atMs: number, id = `e${atMs}`): TriggeringEvent => ({
  id,
  occurred: new Date(atMs).toISOString(),
  received: new Date(atMs).toISOString(),
  event: name,
  resource: { 'prefect.resource.id': 'flow-run.1' },
  related: [],
  payload: {},
  follows: null,
});
const base = {
  type: 'event' as const,
  id: 't',
  match: {},
  match_related: [],
  after: [],
  for_each: [],
  threshold: 1,
};

describe('explainAutomation', () => {
  it('lists matching events with bucket counts and when it would have fired (even if disabled)', async () => {
    const a = automation({ ...base, expect: ['fail'], posture: 'Reactive', threshold: 2, within: 60 });
    const events = [event('fail', T0 + 1000), event('ok', T0 + 2000), event('fail', T0 + 3000)];
    const result = await explainAutomation(a, events, T0, T0 + 10_000);
    expect(result.events_replayed).toBe(3);
    expect(result.matching_events.map((m) => m.bucket?.count)).toEqual([1, 0]);
    expect(result.firings).toEqual([
      {
        triggered: new Date(T0 + 3000).toISOString(),
        trigger_id: 't',
        triggering_event_id: `e${T0 + 3000}`,
        triggering_labels: {},
      },
    ]);
  });

  it('simulates proactive ticks: a heartbeat (per resource) that stopped fires once, after its window', async () => {
    const a = automation({
      ...base,
      expect: ['beat'],
      after: ['beat'],
      for_each: ['prefect.resource.id'],
      posture: 'Proactive',
      within: 10,
    });
    const events = [event('beat', T0 + 1000), event('beat', T0 + 4000)];
    const result = await explainAutomation(a, events, T0, T0 + 60_000);
    expect(result.firings).toHaveLength(1);
    expect(result.firings[0]!.triggering_labels).toEqual({ 'prefect.resource.id': 'flow-run.1' });
    expect(Date.parse(result.firings[0]!.triggered)).toBeGreaterThanOrEqual(T0 + 14_000);
  });
});
