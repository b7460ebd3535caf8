import { TemplateRenderer } from './templates';

const renderer = new TemplateRenderer({ uiUrl: 'http://ui.example/' });
const flowRun = { __kind: 'flow-run', id: '0b1a7a4e-7b2c-4c1e-9a55-1f0d7c3a9e21', name: 'tall-heron' };

describe('user templates (nunjucks, sandboxed)', () => {
  it('renders Prefect-style templates with the URL filters', () => {
    const out = renderer.render(
      'Run {{ flow_run.name }} ({{ event.resource["prefect.resource.id"] }}) {{ flow_run | ui_url }} {{ event.resource | ui_resource_events_url }}',
      { flow_run: flowRun, event: { resource: { 'prefect.resource.id': `prefect.flow-run.${flowRun.id}` } } },
    );
    expect(out).toBe(
      `Run tall-heron (prefect.flow-run.${flowRun.id}) http://ui.example/runs/flow-run/${flowRun.id} ` +
        `http://ui.example/events?resource=prefect.flow-run.${flowRun.id}`,
    );
  });

  it('renders undefined values as nothing and keeps loops, defaults and tojson', () => {
    expect(renderer.render('[{{ missing.deeper.still }}]', {})).toBe('[]');
    expect(
      renderer.render('{% for t in tags %}{{ loop.index }}:{{ t }} {% endfor %}', { tags: ['a', 'b'] }),
    ).toBe('1:a 2:b ');
    expect(renderer.render('{{ x | default("none") }}', {})).toBe('none');
    expect(renderer.render('{{ obj | tojson }}', { obj: { __kind: 'flow', a: [1, 'b'] } })).toBe(
      '{"a":[1,"b"]}',
    );
    expect(
      renderer.render('{{ "see flow-run/0b1a7a4e-7b2c-4c1e-9a55-1f0d7c3a9e21 here" | flow_run_id }}', {}),
    ).toBe('0b1a7a4e-7b2c-4c1e-9a55-1f0d7c3a9e21');
  });

  it('gives templates no way to reach prototypes, constructors or functions', () => {
    const attempts = [
      '{{ "".constructor.constructor("return process")() }}',
      '{{ x.constructor.constructor("return process")().pid }}',
      '{{ x["__proto__"]["constructor"] }}',
      '{{ range.constructor("return 1")() }}',
    ];
    for (const source of attempts) {
      let out = '';
      try {
        out = renderer.render(source, { x: {} });
      } catch (error) {
        expect((error as Error).name).toBe('TemplateRenderError');
        continue;
      }
      expect(out).not.toMatch(/\d{2,}|function|process/);
    }
  });

  it('bounds range(), the number and depth of loops, and reports errors with the template', () => {
    expect(() => renderer.render('{% for i in range(1000) %}{% endfor %}', {})).toThrow(
      /range\(\) is limited to 100/,
    );
    const nested = '{% for a in x %}{% for b in x %}{% for c in x %}{% endfor %}{% endfor %}{% endfor %}';
    expect(() => renderer.render(nested, { x: [1] })).toThrow(/nested at most 2 deep/);
    const many = '{% for a in x %}{% endfor %}'.repeat(11);
    expect(() => renderer.render(many, { x: [] })).toThrow(/at most 10 for loops/);
    try {
      renderer.render('{{ unclosed', {});
      throw new Error('should have failed');
    } catch (error) {
      expect(error).toMatchObject({ name: 'TemplateRenderError', template: '{{ unclosed' });
    }
  });
});
