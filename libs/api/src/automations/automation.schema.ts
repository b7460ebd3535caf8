import { STATE_TYPES } from '@orrery/domain';
import type { JsonSchema } from '../openapi/validator-schema';
import { namedSchema, wire, wireModel } from '../openapi/wire-schema';
import { ACTIONS, actionFields } from './automation-body.parser';

/*
 * The shapes of an automation, as parseAutomationBody reads them (requests) and stores them with
 * their defaults filled in (responses). The actions come from the parser's own ACTIONS table: its
 * target id, required keys and defaults; an action keeps any other key the client sent.
 */

/** The wire type of each key an action of ACTIONS names. */
const ACTION_FIELDS: Readonly<Record<string, JsonSchema>> = {
  deployment_id: { anyOf: [{ type: 'string', format: 'uuid' }, { type: 'null' }] },
  work_queue_id: { anyOf: [{ type: 'string', format: 'uuid' }, { type: 'null' }] },
  automation_id: { anyOf: [{ type: 'string', format: 'uuid' }, { type: 'null' }] },
  work_pool_id: { anyOf: [{ type: 'string', format: 'uuid' }, { type: 'null' }] },
  parameters: { anyOf: [{ type: 'object' }, { type: 'null' }] },
  job_variables: { anyOf: [{ type: 'object' }, { type: 'null' }] },
  schedule_after: { type: 'number', description: 'seconds' },
  state: { enum: STATE_TYPES },
  name: { anyOf: [{ type: 'string' }, { type: 'null' }] },
  message: { anyOf: [{ type: 'string' }, { type: 'null' }] },
  force: { type: 'boolean' },
  block_document_id: { type: 'string', format: 'uuid' },
  subject: { type: 'string', description: 'a Jinja template' },
  body: { type: 'string', description: 'a Jinja template' },
  payload: {
    type: 'string',
    description: 'a Jinja template (a JSON object is accepted and stored as its text)',
  },
};

/** `pause-work-pool` → `PauseWorkPool`, upstream's model names. */
const modelName = (type: string): string =>
  type
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

function actionSchema(type: string, stored: boolean): JsonSchema {
  const spec = ACTIONS[type] ?? {};
  const keys = actionFields(type);
  const properties: Record<string, JsonSchema> = { type: { const: type, default: type } };
  for (const key of keys) {
    properties[key] =
      key === 'source'
        ? { enum: ['selected', 'inferred'], default: 'selected' }
        : (ACTION_FIELDS[key] as JsonSchema);
  }
  const defaults = spec.defaults ?? {};
  for (const [key, value] of Object.entries(defaults))
    properties[key] = { ...properties[key], default: value };
  return {
    type: 'object',
    properties,
    required: stored ? ['type', ...keys] : [...(spec.required ?? [])],
  };
}

const actionList = (stored: boolean): JsonSchema => ({
  type: 'array',
  items: {
    anyOf: Object.keys(ACTIONS).map((type) =>
      namedSchema(`${modelName(type)}${stored ? '' : 'Input'}`, actionSchema(type, stored)),
    ),
  },
});

const STRINGS: JsonSchema = { type: 'array', items: { type: 'string' } };
/** Resource labels to match: a value or a list of values per label. */
const SPEC: JsonSchema = {
  type: 'object',
  additionalProperties: { anyOf: [{ type: 'string' }, STRINGS] },
};
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

function triggerSchemas(stored: boolean): JsonSchema {
  const suffix = stored ? '' : 'Input';
  const any: JsonSchema = {
    anyOf: [ref(`EventTrigger${suffix}`), ref(`CompoundTrigger${suffix}`), ref(`SequenceTrigger${suffix}`)],
  };
  const within: JsonSchema = { anyOf: [{ type: 'number', minimum: 0 }, { type: 'null' }] };
  const event: Record<string, JsonSchema> = {
    type: { const: 'event', default: 'event' },
    // Read and replaced: every saved trigger gets a new id, as upstream's reset_ids.
    id: { type: 'string', format: 'uuid' },
    match: { ...SPEC, default: {} },
    match_related: { anyOf: [SPEC, { type: 'array', items: SPEC }], default: {} },
    after: { ...STRINGS, default: [] },
    expect: { ...STRINGS, default: [] },
    for_each: { ...STRINGS, default: [] },
    posture: { enum: ['Reactive', 'Proactive'] },
    threshold: { type: 'integer', minimum: 1, default: 1 },
    within: { type: 'number', minimum: 0, default: 0, description: 'seconds' },
  };
  const composite = (type: string): Record<string, JsonSchema> => ({
    type: { const: type, default: type },
    id: { type: 'string', format: 'uuid' },
    triggers: { type: 'array', items: any },
    within,
  });
  namedSchema(`EventTrigger${suffix}`, {
    type: 'object',
    properties: event,
    required: stored ? Object.keys(event) : ['posture'],
  });
  const compound = {
    ...composite('compound'),
    require: { anyOf: [{ type: 'integer' }, { enum: ['any', 'all'] }] },
  };
  namedSchema(`CompoundTrigger${suffix}`, {
    type: 'object',
    properties: compound,
    required: stored ? Object.keys(compound) : ['triggers', 'within', 'require'],
  });
  const sequence = composite('sequence');
  namedSchema(`SequenceTrigger${suffix}`, {
    type: 'object',
    properties: sequence,
    required: stored ? Object.keys(sequence) : ['triggers', 'within'],
  });
  return any;
}

/** `AutomationCreate` (with `owner_resource`) or `AutomationUpdate`, as parseAutomationBody reads them. */
export function automationInputSchema(kind: 'create' | 'update'): JsonSchema {
  return namedSchema(kind === 'create' ? 'AutomationCreate' : 'AutomationUpdate', {
    type: 'object',
    properties: {
      name: { type: 'string' },
      description: { type: 'string', default: '' },
      enabled: { type: 'boolean', default: true },
      tags: { ...STRINGS, default: [] },
      trigger: triggerSchemas(false),
      actions: actionList(false),
      actions_on_trigger: { ...actionList(false), default: [] },
      actions_on_resolve: { ...actionList(false), default: [] },
      ...(kind === 'create' ? { owner_resource: { anyOf: [{ type: 'string' }, { type: 'null' }] } } : {}),
    },
    required: ['name', 'trigger', 'actions'],
  });
}

const STORED_ACTIONS = { schema: actionList(true) };
const STORED_TRIGGER = { schema: triggerSchemas(true) };

/** An automation as stored: its trigger tree and actions with every default filled in. */
export const AUTOMATION = wireModel('Automation', {
  id: wire.uuid(),
  created: wire.dateTime(),
  updated: wire.dateTime(),
  name: wire.string(),
  description: wire.string(),
  enabled: wire.boolean(),
  tags: wire.array(wire.string()),
  trigger: STORED_TRIGGER,
  actions: STORED_ACTIONS,
  actions_on_trigger: STORED_ACTIONS,
  actions_on_resolve: STORED_ACTIONS,
});
