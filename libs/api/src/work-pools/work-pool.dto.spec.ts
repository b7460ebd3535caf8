import { baseJobTemplateProblem, isLegacyStorageClient } from './work-pool.dto';

describe('isLegacyStorageClient', () => {
  it.each([
    ['prefect/3.3.7 (API 0.8.4)', true],
    ['prefect/3.3.6', true],
    ['prefect/2.20.1', true],
    ['prefect/3.3.8', false],
    ['prefect/3.8.4.dev6 (API 0.8.4)', false],
    ['curl/8', false],
    [undefined, false],
  ])('%s → %s', (userAgent, expected) => {
    expect(isLegacyStorageClient(userAgent)).toBe(expected);
  });
});

describe('baseJobTemplateProblem', () => {
  it('accepts {} and templates whose placeholders are declared variables', () => {
    expect(baseJobTemplateProblem({})).toBeNull();
    expect(
      baseJobTemplateProblem({
        job_configuration: { command: '{{ command }}', image: 'x-{{ tag }}', other: 3 },
        variables: { properties: { command: {}, tag: {} } },
      }),
    ).toBeNull();
  });

  it('names undeclared placeholders and missing keys', () => {
    expect(baseJobTemplateProblem({ variables: {} })).toContain(
      'both a `job_configuration` key and a `variables` key',
    );
    expect(
      baseJobTemplateProblem({
        job_configuration: { a: '{{ x }} {{ y }}' },
        variables: { properties: { x: {} } },
      }),
    ).toContain('undeclared variable(s): y.');
  });
});
