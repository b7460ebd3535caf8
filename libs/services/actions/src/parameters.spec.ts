import { durationSeconds } from './action-runner';
import { hydrateActionParameters, parameterPlaceholders, upgradeV1Template } from './parameters';
import { inferFlowRunId } from './resources';
import { TemplateRenderer } from './templates';

const renderer = new TemplateRenderer({ uiUrl: null });
const FR = '0b1a7a4e-7b2c-4c1e-9a55-1f0d7c3a9e21';

describe('run-deployment parameters and flow-run inference', () => {
  it('upgrades plain Jinja strings: one expression keeps its type through tojson, mixed text stays a string', () => {
    expect(upgradeV1Template('{{ event.payload.n }}')).toEqual({
      __prefect_kind: 'json',
      value: { __prefect_kind: 'jinja', template: '{{ event.payload.n | tojson }}' },
    });
    expect(upgradeV1Template('run {{ x }}')).toEqual({ __prefect_kind: 'jinja', template: 'run {{ x }}' });
  });

  it('hydrates __prefect_kind placeholders with the template context and workspace variables', () => {
    const context = { event: { payload: { n: 3, tags: ['a'] } }, flow_run: { name: 'r1' } };
    const parameters = {
      count: '{{ event.payload.n }}',
      title: 'run {{ flow_run.name }}',
      tags: '{{ event.payload.tags }}',
      raw: { __prefect_kind: 'json', value: '{"k": [1, 2]}' },
      plain: { __prefect_kind: 'none', value: 5 },
      secret: { __prefect_kind: 'workspace_variable', variable_name: 'region' },
      nested: { list: ['{{ flow_run.name }}', 7] },
    };
    expect(parameterPlaceholders(parameters).variables).toEqual(['region']);
    const hydrated = hydrateActionParameters(parameters, {
      renderJinja: (t) => renderer.render(t, context),
      variable: (name) => (name === 'region' ? 'eu' : undefined),
    });
    expect(hydrated).toEqual({
      count: 3,
      title: 'run r1',
      tags: ['a'],
      raw: { k: [1, 2] },
      plain: 5,
      secret: 'eu',
      nested: { list: ['r1', 7] },
    });
    expect(() =>
      hydrateActionParameters(
        { v: { __prefect_kind: 'workspace_variable', variable_name: 'nope' } },
        {
          renderJinja: (t) => t,
          variable: () => undefined,
        },
      ),
    ).toThrow("Variable 'nope' not found");
  });

  it('infers the flow run from the triggering labels first, then the event’s resources', () => {
    const event = {
      id: 'e',
      occurred: '2026-01-01T00:00:00Z',
      received: '2026-01-01T00:00:00Z',
      event: 'prefect.task-run.Failed',
      resource: { 'prefect.resource.id': 'prefect.task-run.x' },
      related: [{ 'prefect.resource.id': `prefect.flow-run.${FR}`, 'prefect.resource.role': 'flow-run' }],
      payload: {},
      follows: null,
    };
    expect(inferFlowRunId({}, event)).toBe(FR);
    const other = '1b1a7a4e-7b2c-4c1e-9a55-1f0d7c3a9e21';
    expect(inferFlowRunId({ 'prefect.resource.id': `prefect.flow-run.${other}` }, event)).toBe(other);
    expect(inferFlowRunId({}, null)).toBeNull();
    expect(inferFlowRunId({ 'prefect.resource.id': 'prefect.deployment.x' }, null)).toBeNull();
  });

  it('reads schedule_after as seconds or an ISO-8601 duration', () => {
    expect(durationSeconds(90)).toBe(90);
    expect(durationSeconds('PT1H30M')).toBe(5400);
    expect(durationSeconds('P1DT2S')).toBe(86402);
    expect(durationSeconds(null)).toBe(0);
  });
});
