import type { Instant } from '@orrery/domain';

/** Trigger posture (spec-services-events-ha §5.2); `Metric` exists upstream but no trigger uses it. */
export type Posture = 'Reactive' | 'Proactive';

/** A resource specification: label → value or values, `*` suffix globs and `!` negation (§5.3). */
export type ResourceSpecification = Readonly<Record<string, string | readonly string[]>>;

/** `EventTrigger` as stored (defaults filled in by the API's body parser). */
export interface EventTrigger {
  readonly type: 'event';
  readonly id: string;
  readonly match: ResourceSpecification;
  readonly match_related: ResourceSpecification | readonly ResourceSpecification[];
  readonly after: readonly string[];
  readonly expect: readonly string[];
  readonly for_each: readonly string[];
  readonly posture: Posture;
  readonly threshold: number;
  /** Seconds. */
  readonly within: number;
}

/** `CompoundTrigger`: fires when `require` of its children fired within `within` seconds. */
export interface CompoundTrigger {
  readonly type: 'compound';
  readonly id: string;
  readonly triggers: readonly Trigger[];
  readonly require: 'any' | 'all' | number;
  readonly within: number | null;
}

/** `SequenceTrigger`: fires when every child fired, in the declared order. */
export interface SequenceTrigger {
  readonly type: 'sequence';
  readonly id: string;
  readonly triggers: readonly Trigger[];
  readonly within: number | null;
}

export type CompositeTrigger = CompoundTrigger | SequenceTrigger;
export type Trigger = EventTrigger | CompositeTrigger;

/**
 * An action as stored: `type` plus its parameters (§5.7); the API's body parser fills the defaults.
 * The parameters stay open here — the actions service narrows them per type.
 */
export interface AutomationAction {
  readonly type: string;
  readonly [parameter: string]: unknown;
}

/** The fields of an automation a client writes (trigger and actions already validated). */
export interface AutomationWrite {
  readonly name: string;
  readonly description: string;
  readonly enabled: boolean;
  readonly tags: string[];
  readonly trigger: Trigger;
  readonly actions: AutomationAction[];
  readonly actionsOnTrigger: AutomationAction[];
  readonly actionsOnResolve: AutomationAction[];
}

/** A stored automation (table `automation`). */
export interface AutomationRecord extends AutomationWrite {
  readonly id: string;
  readonly created: Instant;
  readonly updated: Instant;
}

/** `Automation` on the wire (the REST response and the `automation` of a TriggeredAction). */
export interface AutomationJson {
  readonly id: string;
  readonly created: string;
  readonly updated: string;
  readonly name: string;
  readonly description: string;
  readonly enabled: boolean;
  readonly tags: readonly string[];
  readonly trigger: Trigger;
  readonly actions: readonly AutomationAction[];
  readonly actions_on_trigger: readonly AutomationAction[];
  readonly actions_on_resolve: readonly AutomationAction[];
}

export function automationToJson(a: AutomationRecord): AutomationJson {
  return {
    id: a.id,
    created: a.created.toISOString(),
    updated: a.updated.toISOString(),
    name: a.name,
    description: a.description,
    enabled: a.enabled,
    tags: a.tags,
    trigger: a.trigger,
    actions: a.actions,
    actions_on_trigger: a.actionsOnTrigger,
    actions_on_resolve: a.actionsOnResolve,
  };
}

/** Every trigger of the tree, parents before their children (depth first, declared order). */
export function allTriggers(root: Trigger): Trigger[] {
  const out: Trigger[] = [];
  const walk = (t: Trigger): void => {
    out.push(t);
    if (t.type !== 'event') t.triggers.forEach(walk);
  };
  walk(root);
  return out;
}

/** The composite parent of each trigger in the tree (the root has none). */
export function parentsOf(root: Trigger): ReadonlyMap<string, CompositeTrigger> {
  const parents = new Map<string, CompositeTrigger>();
  for (const t of allTriggers(root)) {
    if (t.type !== 'event') for (const child of t.triggers) parents.set(child.id, t);
  }
  return parents;
}
