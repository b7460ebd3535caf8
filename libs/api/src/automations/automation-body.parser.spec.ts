import { RequestValidationError } from '@orrery/domain';
import { parseAutomationBody } from './automation-body.parser';

const ID = '0195f2a8-0000-7000-8000-00000000d0ff';
const body = (actions: unknown[]): Record<string, unknown> => ({
  name: 'a',
  trigger: { posture: 'Reactive', expect: ['x'] },
  actions,
});

function issuesOf(actions: unknown[]): string[] {
  try {
    parseAutomationBody(body(actions), 'create');
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
