import { DEFAULT_CONSUMER_TUNING, resolveTuning } from './bus-options';

describe('resolveTuning', () => {
  it('layers overrides on the defaults, later layers winning', () => {
    const tuning = resolveTuning({ blockMs: 50, minIdleMs: 200 }, { minIdleMs: 300 }, undefined);
    expect(tuning).toEqual({ ...DEFAULT_CONSUMER_TUNING, blockMs: 50, minIdleMs: 300 });
  });

  it('refuses zero or negative knobs (BLOCK 0 would block forever)', () => {
    expect(() => resolveTuning({ blockMs: 0 })).toThrow(/blockMs/);
    expect(() => resolveTuning({ maxDeliveries: -1 })).toThrow(/maxDeliveries/);
    expect(() => resolveTuning({ minIdleMs: Number.NaN })).toThrow(/minIdleMs/);
    expect(resolveTuning({ trimRetainMs: 0 }).trimRetainMs).toBe(0);
  });
});
