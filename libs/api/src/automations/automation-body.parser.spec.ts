import { RequestValidationError } from '@orrery/domain';
import { parseAutomationBody } from './automation-body.parser';

const ID = '0195f2a8-0000-7000-8000-00000000d0ff';
const body = (actions: unknown[]): Record<string, unknown> => ({
  name: 'a',
  trigger: { posture: 'Reactive', expect: ['x'] },
  actions,
});

function issuesOf(actions: unknown[], trigger?: unknown): string[] {
  try {
    parseAutomationBody(trigger === undefined ? body(actions) : { ...body(actions), trigger }, 'create');
  } catch (error) {
    if (error instanceof RequestValidationError) {
      return error.issues.map((i) => `${i.loc.join('.')}: ${i.type}: ${i.msg}`);
    }
    throw error;
  }
  throw new Error('expected a RequestValidationError');
}

describe('parseAutomationBody: action ids', () => {
  it('reads target and block ids in every UUID form pydantic reads, stored canonical', () => {
    const forms = [ID.toUpperCase(), ID.replace(/-/g, ''), `{${ID}}`, `urn:uuid:${ID}`];
    for (const form of forms) {
      const { actions } = parseAutomationBody(
        body([
          { type: 'pause-deployment', deployment_id: form },
          { type: 'resume-work-pool', source: 'selected', work_pool_id: form },
          { type: 'pause-work-queue', work_queue_id: form },
          { type: 'resume-automation', automation_id: form },
          { type: 'send-notification', block_document_id: form, body: 'x' },
          { type: 'call-webhook', block_document_id: form },
        ]),
        'create',
      );
      expect(actions.map((a) => Object.entries(a).find(([k]) => k.endsWith('_id'))?.[1])).toEqual(
        Array(6).fill(ID),
      );
    }
  });

  it('refuses a malformed id with pydantic’s uuid error only, and a missing selected id as upstream', () => {
    expect(
      issuesOf([
        { type: 'pause-deployment', deployment_id: `{${ID.replace(/-/g, '')}}` },
        { type: 'resume-work-pool', source: 'inferred', work_pool_id: 7 },
        { type: 'pause-automation' },
        { type: 'send-notification', block_document_id: 'nope', body: 'x' },
      ]),
    ).toEqual([
      'body.actions.0.deployment_id: uuid_parsing: Input should be a valid UUID',
      'body.actions.1.work_pool_id: uuid_type: UUID input should be a string, bytes or UUID object',
      "body.actions.2.automation_id: value_error: automation_id is required when source is 'selected'",
      'body.actions.3.block_document_id: uuid_parsing: Input should be a valid UUID',
    ]);
  });
});

describe('parseAutomationBody: items without type (upstream’s untagged unions)', () => {
  // Each expected type is what Prefect 3.8.3's ServerActionTypes / ServerTriggerTypes (pydantic
  // 2.13, TypeAdapter(...).validate_python) answered for the same dict.
  const actionCases: [Record<string, unknown>, string][] = [
    [{}, 'do-nothing'],
    [{ source: 'inferred' }, 'run-deployment'],
    [{ state: 'FAILED' }, 'change-flow-run-state'],
    [{ deployment_id: ID }, 'run-deployment'],
    [{ work_queue_id: ID }, 'pause-work-queue'],
    [{ automation_id: ID, source: 'selected' }, 'pause-automation'],
    [{ block_document_id: ID }, 'call-webhook'],
    [{ block_document_id: ID, body: 'b' }, 'send-notification'],
    [{ block_document_id: ID, body: '{% for x in y %}' }, 'call-webhook'],
    [{ block_document_id: ID, body: 'b', payload: 'p' }, 'send-notification'],
    [{ state: 'FAILED', deployment_id: ID }, 'run-deployment'],
    [{ name: 'n', state: 'FAILED', deployment_id: ID }, 'change-flow-run-state'],
    [{ source: 'inferred', schedule_after: 5 }, 'run-deployment'],
    // Equal counts: an exact member (a null id) beats a lax one (a timedelta from a number).
    [{ source: 'inferred', work_pool_id: null, schedule_after: 5 }, 'pause-work-pool'],
    [{ source: 'inferred', automation_id: null, schedule_after: 'PT5S' }, 'pause-automation'],
    [{ state: 'FAILED', name: 'n', source: 'inferred', work_queue_id: null }, 'pause-work-queue'],
    [{ source: 'inferred', work_pool_id: null, parameters: { a: 1 } }, 'run-deployment'],
    [{ force: true }, 'do-nothing'],
    [{ parameters: {} }, 'do-nothing'],
    [{ source: 'bogus' }, 'do-nothing'],
    [{ deployment_id: 'nope' }, 'do-nothing'],
  ];
  it.each(actionCases)('action %j is a %s', (item, type) => {
    const { actions } = parseAutomationBody(body([item]), 'create');
    expect(actions[0]?.type).toBe(type);
  });

  const triggerCases: [Record<string, unknown>, string][] = [
    [{ posture: 'Reactive' }, 'event'],
    [{ triggers: [], within: 10 }, 'sequence'],
    [{ triggers: [], within: 10, require: 'any' }, 'compound'],
    [{ posture: 'Reactive', triggers: [], within: 10 }, 'event'],
    [{ triggers: [{ posture: 'Reactive' }], within: null, require: 1 }, 'compound'],
  ];
  it.each(triggerCases)('trigger %j is a %s', (trigger, type) => {
    const parsed = parseAutomationBody({ ...body([{ type: 'do-nothing' }]), trigger }, 'create');
    expect((parsed.trigger as unknown as { type: string }).type).toBe(type);
  });

  it('a type-less trigger nothing validates is reported as an event trigger', () => {
    expect(issuesOf([{}], {})).toEqual(['body.trigger.posture: missing: Field required']);
  });
});
