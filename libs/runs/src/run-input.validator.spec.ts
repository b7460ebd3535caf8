import { runInputProblem } from './run-input.validator';

describe('runInputProblem', () => {
  const schema = JSON.stringify({
    type: 'object',
    properties: { age: { type: 'integer' }, name: { type: 'string' } },
    required: ['age'],
  });

  it('accepts input the stored schema accepts', () => {
    expect(runInputProblem(schema, { age: 3, name: 'x' })).toBeNull();
  });

  it('reports why input is refused, Prefect-style', () => {
    expect(runInputProblem(schema, { name: 'x' })).toMatch(/^Reason: .*age/);
    expect(runInputProblem(schema, { age: 'old' })).toBe("Reason: must be integer at 'age'");
  });

  it('reports a schema that is not JSON or cannot be compiled', () => {
    expect(runInputProblem('{nope', {})).toBe('Run input schema is not valid JSON.');
    expect(runInputProblem(JSON.stringify({ $ref: '#/definitions/missing' }), {})).toBe(
      'Invalid schema: Unable to resolve schema reference.',
    );
  });
});
