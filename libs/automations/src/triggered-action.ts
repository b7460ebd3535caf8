import { createHash } from 'node:crypto';
import type { AutomationAction, AutomationJson } from './automation.model';
import type { Firing, TriggeringEvent } from './firing.model';

/** The topic the triggers service publishes TriggeredActions to, and the actions group (§4.2). */
export const ACTIONS_TOPIC = 'actions';

/** One action of one firing, as published to `actions` (spec-services-events-ha §5.6). */
export interface TriggeredAction {
  readonly id: string;
  readonly automation: AutomationJson;
  readonly firing: Firing | null;
  /** ISO timestamp. */
  readonly triggered: string;
  readonly triggering_labels: Readonly<Record<string, string>>;
  readonly triggering_event: TriggeringEvent | null;
  readonly action: AutomationAction;
  readonly action_index: number;
  readonly automation_triggered_event_id: string | null;
}

/**
 * The id of a firing's action `index`: a version-7-shaped UUID whose time is the firing's and whose
 * other bits are a SHA-256 of (automation, firing, index) — the same inputs give the same id, so a
 * republished or recomputed action is recognisably the same one (the actions' idempotency key).
 */
export function triggeredActionId(
  automationId: string,
  firingId: string,
  index: number,
  triggeredAt: string,
): string {
  const hash = createHash('sha256').update(`${automationId}/${firingId}/${index}`).digest();
  const bytes = Buffer.from(hash.subarray(0, 16));
  bytes.writeUIntBE(Math.max(0, Date.parse(triggeredAt)) % 2 ** 48, 0, 6);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The message data of a TriggeredAction (its JSON). */
export function serializeTriggeredAction(action: TriggeredAction): string {
  return JSON.stringify(action);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses a message of the `actions` topic; throws on anything that is not a TriggeredAction. */
export function parseTriggeredAction(data: string | Buffer | Record<string, unknown>): TriggeredAction {
  const value: unknown =
    typeof data === 'string' || Buffer.isBuffer(data) ? JSON.parse(data.toString('utf8')) : data;
  if (
    !isObject(value) ||
    typeof value.id !== 'string' ||
    !isObject(value.automation) ||
    typeof value.automation.id !== 'string' ||
    !isObject(value.action) ||
    typeof value.action.type !== 'string' ||
    typeof value.action_index !== 'number' ||
    typeof value.triggered !== 'string'
  ) {
    throw new Error('not a TriggeredAction');
  }
  return {
    id: value.id,
    automation: value.automation as unknown as AutomationJson,
    firing: isObject(value.firing) ? (value.firing as unknown as Firing) : null,
    triggered: value.triggered,
    triggering_labels: isObject(value.triggering_labels)
      ? (value.triggering_labels as Record<string, string>)
      : {},
    triggering_event: isObject(value.triggering_event)
      ? (value.triggering_event as unknown as TriggeringEvent)
      : null,
    action: value.action as AutomationAction,
    action_index: value.action_index,
    automation_triggered_event_id:
      typeof value.automation_triggered_event_id === 'string' ? value.automation_triggered_event_id : null,
  };
}
