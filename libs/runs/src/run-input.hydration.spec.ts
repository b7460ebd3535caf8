import { hydrateRunInput, RunInputHydrationError } from './run-input.hydration';

describe('hydrateRunInput', () => {
  it('keeps plain input as it is', () => {
    expect(hydrateRunInput({ a: 1, b: [1, { c: 'x' }], d: null })).toEqual({
      a: 1,
      b: [1, { c: 'x' }],
      d: null,
    });
  });

  it('resolves the placeholders the UI sends', () => {
    expect(
      hydrateRunInput({
        plain: { __prefect_kind: 'none', value: { n: 1 } },
        parsed: { __prefect_kind: 'json', value: '{"x": [1, 2]}' },
        already: { __prefect_kind: 'json', value: 3 },
        dropped: { __prefect_kind: 'json' },
        inList: [{ __prefect_kind: 'json' }, { __prefect_kind: 'none', value: 'kept' }],
        unknown: { __prefect_kind: 'something', value: 'v' },
      }),
    ).toEqual({ plain: { n: 1 }, parsed: { x: [1, 2] }, already: 3, inList: ['kept'], unknown: 'v' });
  });

  it('refuses what Prefect refuses, with its messages', () => {
    expect(() => hydrateRunInput({ a: { __prefect_kind: 'json', value: '{nope' } })).toThrow(
      RunInputHydrationError,
    );
    expect(() => hydrateRunInput({ a: { __prefect_kind: 'json', value: '{nope' } })).toThrow(
      /^Invalid JSON: /,
    );
    expect(() => hydrateRunInput({ a: { __prefect_kind: 'none' } })).toThrow(
      "Missing 'value' key in __prefect object",
    );
  });
});
