import { randomUUID } from 'node:crypto';
import type { AutomationAction, AutomationWrite, Trigger } from '@orrery/automations';
import { parameterProblems, templateProblem } from '@orrery/actions';
import { laxUuid, RequestValidationError, type ValidationIssue } from '@orrery/domain';

type Json = Record<string, unknown>;
type Loc = (string | number)[];

/** Action types and, for those that target something, the id field their `selected` source needs (also the schemas of automation.schema.ts). */
export const ACTIONS: Readonly<
  Record<string, { target?: string; required?: readonly string[]; defaults?: Json }>
> = {
  'do-nothing': {},
  'run-deployment': {
    target: 'deployment_id',
    defaults: { parameters: null, job_variables: null, schedule_after: 0 },
  },
  'pause-deployment': { target: 'deployment_id' },
  'resume-deployment': { target: 'deployment_id' },
  'cancel-flow-run': {},
  'delete-flow-run': {},
  'change-flow-run-state': { required: ['state'], defaults: { name: null, message: null, force: false } },
  'pause-work-queue': { target: 'work_queue_id' },
  'resume-work-queue': { target: 'work_queue_id' },
  'send-notification': {
    required: ['block_document_id', 'body'],
    defaults: { subject: 'Prefect automated notification' },
  },
  'call-webhook': { required: ['block_document_id'], defaults: { payload: '' } },
  'pause-automation': { target: 'automation_id' },
  'resume-automation': { target: 'automation_id' },
  'suspend-flow-run': {},
  'resume-flow-run': {},
  'pause-work-pool': { target: 'work_pool_id' },
  'resume-work-pool': { target: 'work_pool_id' },
};
const POSTURES = ['Reactive', 'Proactive'];
const STATE_TYPES = [
  'SCHEDULED',
  'PENDING',
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'CRASHED',
  'PAUSED',
  'CANCELLING',
];

class Issues {
  readonly list: ValidationIssue[] = [];
  add(loc: Loc, msg: string, input: unknown, type = 'value_error'): void {
    this.list.push({ type, loc: ['body', ...loc], msg, input: input === undefined ? null : input });
  }
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/**
 * A trigger as Prefect stores it (`model_dump` of EventTrigger / CompoundTrigger / SequenceTrigger):
 * defaults filled in, and a fresh id on every trigger (upstream `reset_ids`).
 */
function trigger(value: unknown, loc: Loc, issues: Issues): Json | null {
  if (!isObject(value)) {
    issues.add(loc, 'Input should be a valid dictionary or object', value, 'model_type');
    return null;
  }
  if (value.type === undefined) return untypedTrigger(value, loc, issues);
  const type = value.type;
  if (type === 'event') {
    const posture = value.posture;
    if (posture === undefined) issues.add([...loc, 'posture'], 'Field required', value, 'missing');
    else if (!POSTURES.includes(posture as string)) {
      issues.add([...loc, 'posture'], "Input should be 'Reactive' or 'Proactive'", posture, 'enum');
    }
    for (const key of ['after', 'expect', 'for_each']) {
      if (value[key] !== undefined && !isStringList(value[key])) {
        issues.add([...loc, key], 'Input should be a valid list of strings', value[key], 'list_type');
      }
    }
    if (value.match !== undefined && !isObject(value.match)) {
      issues.add([...loc, 'match'], 'Input should be a valid dictionary', value.match, 'dict_type');
    }
    const threshold = value.threshold ?? 1;
    if (typeof threshold !== 'number' || !Number.isInteger(threshold) || threshold < 1) {
      issues.add([...loc, 'threshold'], 'Input should be an integer of at least 1', threshold, 'int_type');
    }
    const within = value.within ?? 0;
    if (typeof within !== 'number' || within < 0) {
      issues.add(
        [...loc, 'within'],
        'Input should be a non-negative number of seconds',
        within,
        'float_type',
      );
    }
    return {
      type: 'event',
      id: randomUUID(),
      match: value.match ?? {},
      match_related: value.match_related ?? {},
      after: value.after ?? [],
      expect: value.expect ?? [],
      for_each: value.for_each ?? [],
      posture,
      threshold,
      within,
    };
  }
  if (type === 'compound' || type === 'sequence') {
    if (!Array.isArray(value.triggers)) {
      issues.add(
        [...loc, 'triggers'],
        value.triggers === undefined ? 'Field required' : 'Input should be a valid list',
        value.triggers,
        'missing',
      );
    }
    if (!('within' in value)) issues.add([...loc, 'within'], 'Field required', value, 'missing');
    else if (value.within !== null && (typeof value.within !== 'number' || value.within < 0)) {
      issues.add(
        [...loc, 'within'],
        'Input should be a non-negative number of seconds',
        value.within,
        'float_type',
      );
    }
    const children = Array.isArray(value.triggers)
      ? value.triggers.map((t, i) => trigger(t, [...loc, 'triggers', i], issues))
      : [];
    const result: Json = { type, id: randomUUID(), triggers: children, within: value.within ?? null };
    if (type === 'compound') {
      const require = value.require;
      if (require === undefined) issues.add([...loc, 'require'], 'Field required', value, 'missing');
      else if (
        require !== 'any' &&
        require !== 'all' &&
        !(typeof require === 'number' && Number.isInteger(require))
      ) {
        issues.add(
          [...loc, 'require'],
          "Input should be 'any', 'all' or an integer",
          require,
          'union_tag_invalid',
        );
      }
      result.require = require;
    }
    return result;
  }
  issues.add(
    [...loc, 'type'],
    "Input tag should be 'event', 'compound' or 'sequence'",
    type,
    'union_tag_invalid',
  );
  return null;
}

const TRIGGER_FIELDS: Readonly<Record<string, readonly string[]>> = {
  event: ['match', 'match_related', 'after', 'expect', 'for_each', 'posture', 'threshold', 'within'],
  compound: ['triggers', 'within', 'require'],
  sequence: ['triggers', 'within'],
};

/**
 * A trigger without `type`: upstream's trigger union is untagged, so pydantic (smart mode) keeps the
 * member that validates with the most of its fields set, the first of EventTrigger, CompoundTrigger,
 * SequenceTrigger on a tie (`within`, a timedelta, is set on every composite, so exactness never
 * decides). `{"triggers": [], "within": 10}` is a sequence. When none validates, the event's issues.
 */
function untypedTrigger(value: Json, loc: Loc, issues: Issues): Json | null {
  let best: { trigger: Json; fields: number } | null = null;
  for (const [type, fields] of Object.entries(TRIGGER_FIELDS)) {
    const scratch = new Issues();
    const parsed = trigger({ ...value, type }, loc, scratch);
    const set = fields.filter((key) => value[key] !== undefined).length;
    if (parsed !== null && scratch.list.length === 0 && (best === null || set > best.fields)) {
      best = { trigger: parsed, fields: set };
    }
  }
  return best?.trigger ?? trigger({ ...value, type: 'event' }, loc, issues);
}

/** The fields of an action type's model upstream (besides `type`): source and target, required, defaulted. */
export function actionFields(type: string): string[] {
  const spec = ACTIONS[type] ?? {};
  return [
    ...(spec.target === undefined ? [] : ['source', spec.target]),
    ...(spec.required ?? []),
    ...Object.keys(spec.defaults ?? {}),
  ];
}

/** A set field pydantic validates in lax mode from JSON values (a UUID or enum from a string, a timedelta from a number). */
const laxlySet = (key: string, value: unknown): boolean =>
  key.endsWith('_id')
    ? value !== null
    : key === 'state' || key === 'schedule_after' || (key === 'force' && typeof value !== 'boolean');

/**
 * An action without `type`: upstream's action union is untagged, so pydantic (smart mode) keeps,
 * among the members that validate, the one with the most fields set, then an exact one over a lax
 * one, then the first in union order (ACTIONS' order is upstream's). DoNothing always validates, so
 * `{}` is a do-nothing, `{"source": "inferred"}` a run-deployment, `{"block_document_id": …}` a
 * call-webhook. Checked against Prefect 3.8.3 (pydantic 2.13) in automation-body.parser.spec.ts.
 */
function untypedAction(value: Json, loc: Loc): Json {
  let best: { action: Json; fields: number; exact: boolean } | null = null;
  for (const type of Object.keys(ACTIONS)) {
    const scratch = new Issues();
    const parsed = action({ ...value, type }, loc, scratch);
    if (parsed === null || scratch.list.length > 0) continue;
    const set = actionFields(type).filter((key) => value[key] !== undefined);
    const exact = !set.some((key) => laxlySet(key, value[key]));
    if (best === null || set.length > best.fields || (set.length === best.fields && exact && !best.exact)) {
      best = { action: parsed, fields: set.length, exact };
    }
  }
  return best!.action;
}

/** An action with its defaults; a `selected` source needs its target id, an `inferred` one must not have it. */
function action(value: unknown, loc: Loc, issues: Issues): Json | null {
  if (!isObject(value)) {
    issues.add(loc, 'Input should be a valid dictionary or object', value, 'model_type');
    return null;
  }
  if (value.type === undefined) return untypedAction(value, loc);
  const spec = typeof value.type === 'string' ? ACTIONS[value.type] : undefined;
  if (spec === undefined) {
    issues.add(
      [...loc, 'type'],
      `Input tag '${String(value.type)}' does not match any of the expected action types`,
      value.type,
      'union_tag_invalid',
    );
    return null;
  }
  const result: Json = { ...spec.defaults, ...value };
  // A legacy dict payload is stored as its JSON (upstream `ensure_payload_is_a_string`).
  if (value.type === 'call-webhook' && isObject(value.payload)) {
    result.payload = JSON.stringify(value.payload, null, 2);
  }
  for (const key of spec.required ?? []) {
    if (value[key] === undefined) issues.add([...loc, key], 'Field required', value, 'missing');
  }
  checkTemplates(value, loc, issues);
  if (value.type === 'change-flow-run-state' && !STATE_TYPES.includes(value.state as string)) {
    issues.add([...loc, 'state'], 'Input should be a valid state type', value.state, 'enum');
  }
  if (spec.target !== undefined) {
    const source = value.source ?? 'selected';
    const given = value[spec.target];
    // A malformed id is its field's error only: upstream's source/id model validator does not run.
    const target = given === undefined || given === null ? null : uuid(given, [...loc, spec.target], issues);
    if (source !== 'selected' && source !== 'inferred') {
      issues.add([...loc, 'source'], "Input should be 'selected' or 'inferred'", source, 'literal_error');
    } else if (source === 'selected' && (given === undefined || given === null)) {
      issues.add([...loc, spec.target], `${spec.target} is required when source is 'selected'`, given);
    } else if (source === 'inferred' && target !== null) {
      issues.add([...loc, spec.target], `${spec.target} is not allowed when source is 'inferred'`, given);
    }
    result.source = source;
    result[spec.target] = target;
  }
  if (
    (value.type === 'send-notification' || value.type === 'call-webhook') &&
    value.block_document_id !== undefined
  ) {
    result.block_document_id = uuid(result.block_document_id, [...loc, 'block_document_id'], issues);
  }
  return result;
}

/** A UUID in any form pydantic reads, canonical; null (and the issue) when it is not one. */
function uuid(value: unknown, loc: Loc, issues: Issues): string | null {
  const parsed = laxUuid(value);
  if (parsed.ok) return parsed.value;
  issues.add(loc, parsed.msg, value, parsed.type);
  return null;
}

/**
 * What upstream's action validators check at save time beyond the shape: the
 * templates of send-notification (`subject`, `body`) and call-webhook (`payload`) parse, and
 * run-deployment's `parameters` can hydrate (valid JSON, jinja placeholders with a valid template).
 */
function checkTemplates(value: Json, loc: Loc, issues: Issues): void {
  const fields =
    value.type === 'send-notification'
      ? ['subject', 'body']
      : value.type === 'call-webhook'
        ? ['payload']
        : [];
  for (const field of fields) {
    const template = value[field];
    if (template === undefined || template === null) continue;
    if (typeof template !== 'string') {
      // call-webhook's legacy dict payload is serialised to JSON (upstream `ensure_payload_is_a_string`).
      if (field === 'payload' && isObject(template)) continue;
      issues.add([...loc, field], 'Input should be a valid string', template, 'string_type');
      continue;
    }
    const problem = templateProblem(template);
    if (problem !== null) {
      issues.add([...loc, field], `Value error, '${field}' is not a valid template: ${problem}`, template);
    }
  }
  if (value.type === 'run-deployment' && value.parameters !== undefined && value.parameters !== null) {
    if (!isObject(value.parameters)) {
      issues.add([...loc, 'parameters'], 'Input should be a valid dictionary', value.parameters, 'dict_type');
      return;
    }
    const problems = parameterProblems(value.parameters);
    if (problems.length > 0) {
      issues.add(
        [...loc, 'parameters'],
        `Value error, Invalid parameters: \n${problems.join('\n  ')}`,
        value.parameters,
      );
    }
  }
}

function actions(value: unknown, loc: Loc, issues: Issues, required: boolean): Json[] {
  if (value === undefined && !required) return [];
  if (!Array.isArray(value)) {
    issues.add(
      loc,
      value === undefined ? 'Field required' : 'Input should be a valid list',
      value,
      value === undefined ? 'missing' : 'list_type',
    );
    return [];
  }
  return value.map((a, i) => action(a, [...loc, i], issues)).filter((a): a is Json => a !== null);
}

/** AutomationCreate / AutomationUpdate: validated and normalised, or a 422 naming every bad field. */
export function parseAutomationBody(
  body: unknown,
  kind: 'create' | 'update',
): AutomationWrite & { ownerResource: string | null } {
  const issues = new Issues();
  if (!isObject(body)) {
    throw new RequestValidationError([
      {
        type: 'model_attributes_type',
        loc: ['body'],
        msg: 'Input should be a valid dictionary or object',
        input: body ?? null,
      },
    ]);
  }
  if (typeof body.name !== 'string') {
    issues.add(
      ['name'],
      body.name === undefined ? 'Field required' : 'Input should be a valid string',
      body.name,
    );
  }
  if (body.description !== undefined && typeof body.description !== 'string') {
    issues.add(['description'], 'Input should be a valid string', body.description, 'string_type');
  }
  if (body.enabled !== undefined && typeof body.enabled !== 'boolean') {
    issues.add(['enabled'], 'Input should be a valid boolean', body.enabled, 'bool_type');
  }
  if (body.tags !== undefined && !isStringList(body.tags)) {
    issues.add(['tags'], 'Input should be a valid list of strings', body.tags, 'list_type');
  }
  const owner = kind === 'create' ? body.owner_resource : undefined;
  if (owner !== undefined && owner !== null && typeof owner !== 'string') {
    issues.add(['owner_resource'], 'Input should be a valid string', owner, 'string_type');
  }
  const parsedTrigger =
    body.trigger === undefined
      ? (issues.add(['trigger'], 'Field required', body, 'missing'), null)
      : trigger(body.trigger, ['trigger'], issues);
  const parsed = {
    actions: actions(body.actions, ['actions'], issues, true),
    actionsOnTrigger: actions(body.actions_on_trigger, ['actions_on_trigger'], issues, false),
    actionsOnResolve: actions(body.actions_on_resolve, ['actions_on_resolve'], issues, false),
  };
  if (issues.list.length > 0) throw new RequestValidationError(issues.list);
  const enabled = (body.enabled as boolean | undefined) ?? true;
  const loop = enabled ? runDeploymentLoop(parsedTrigger!, parsed.actions) : null;
  if (loop !== null) {
    throw new RequestValidationError([
      { type: 'value_error', loc: ['body'], msg: `Value error, ${loop}`, input: body },
    ]);
  }
  return {
    name: body.name as string,
    description: (body.description as string | undefined) ?? '',
    enabled,
    tags: (body.tags as string[] | undefined) ?? [],
    trigger: parsedTrigger as unknown as Trigger,
    actions: parsed.actions as AutomationAction[],
    actionsOnTrigger: parsed.actionsOnTrigger as AutomationAction[],
    actionsOnResolve: parsed.actionsOnResolve as AutomationAction[],
    ownerResource: typeof owner === 'string' ? owner : null,
  };
}

/** The deployments an automation's actions run (`run-deployment` with a selected deployment). */
export function selectedDeployments(automation: AutomationWrite): string[] {
  const ids = new Set<string>();
  for (const a of automation.actions) {
    if (a.type === 'run-deployment' && a.source === 'selected' && typeof a.deployment_id === 'string') {
      ids.add(a.deployment_id);
    }
  }
  return [...ids];
}

/** A resource spec that matches every resource, or every resource of `kind` (upstream's helper). */
function matchesEveryResourceOf(spec: unknown, kind: string): boolean {
  if (!isObject(spec)) return false;
  const labels = Object.keys(spec);
  if (labels.length === 0) return true;
  if (labels.length !== 1) return false;
  const id = spec['prefect.resource.id'];
  const values = typeof id === 'string' ? [id] : Array.isArray(id) ? id : [];
  return values.some((v) => v === `${kind}.*`);
}

const LOOPING_EVENTS = new Set([
  'prefect.flow-run.Scheduled',
  'prefect.flow-run.Pending',
  'prefect.flow-run.Running',
  'prefect.flow-run.*',
]);

/**
 * Upstream's `prevent_run_deployment_loops`: an enabled reactive event trigger on the flow-run
 * events every deployment run passes through, with a `run-deployment` action that is inferred, or
 * selected while neither `match` nor `match_related` narrows the flow runs, would start runs that
 * re-trigger it forever. Returns the reason, or null.
 */
function runDeploymentLoop(trigger: Json, actions: readonly Json[]): string | null {
  if (trigger.type !== 'event' || trigger.posture !== 'Reactive') return null;
  const expect = (trigger.expect as string[]) ?? [];
  if (!expect.some((e) => LOOPING_EVENTS.has(e))) return null;
  for (const action of actions) {
    if (action.type !== 'run-deployment') continue;
    if (action.source === 'inferred') {
      return (
        'Running an inferred deployment from a flow run state change event will lead to an infinite loop of ' +
        'flow runs.  Please choose a specific deployment and add additional filtering labels to the match or ' +
        "match_related for this automation's trigger."
      );
    }
    const related = Array.isArray(trigger.match_related) ? trigger.match_related : [trigger.match_related];
    if (
      matchesEveryResourceOf(trigger.match, 'prefect.flow-run') &&
      related.some((r) => matchesEveryResourceOf(r, 'prefect.flow-run'))
    ) {
      return (
        'Running a selected deployment from a flow run state change event may lead to an infinite loop of flow ' +
        'runs.  Please include additional filtering labels on either match or match_related to narrow down ' +
        "which flow runs will trigger this automation to exclude flow runs from the deployment you've selected."
      );
    }
  }
  return null;
}
