import { Instant } from '@orrery/domain';
import { estimatedRunTime, estimatedStartTimeDelta, type RunTimingFields } from './computed-fields';
import { clampedPoissonInterval, poissonInterval } from './poisson';
import { hasPersistedResult, isPersistedResult, truncatedTo } from './state-helpers';
import { stateFixture } from '../testing/run-fixtures';

const NOW = Instant.parse('2026-01-01T00:10:00Z');

function timing(overrides: Partial<RunTimingFields>): RunTimingFields {
  return {
    stateType: null,
    stateTimestamp: null,
    totalRunTime: 0,
    startTime: null,
    expectedStartTime: null,
    ...overrides,
  };
}

describe('estimatedRunTime', () => {
  it('adds the time in the current RUNNING state', () => {
    expect(
      estimatedRunTime(
        timing({ stateType: 'RUNNING', stateTimestamp: NOW.minusSeconds(30), totalRunTime: 5 }),
        NOW,
      ),
    ).toBe(35);
    expect(
      estimatedRunTime(
        timing({ stateType: 'COMPLETED', stateTimestamp: NOW.minusSeconds(30), totalRunTime: 5 }),
        NOW,
      ),
    ).toBe(5);
  });
});

describe('estimatedStartTimeDelta', () => {
  it('is how late a started run started', () => {
    expect(
      estimatedStartTimeDelta(
        timing({ expectedStartTime: NOW.minusSeconds(60), startTime: NOW.minusSeconds(45) }),
        NOW,
      ),
    ).toBe(15);
    expect(
      estimatedStartTimeDelta(
        timing({ expectedStartTime: NOW.minusSeconds(60), startTime: NOW.minusSeconds(70) }),
        NOW,
      ),
    ).toBe(0);
  });

  it('is how late an unstarted, unfinished, overdue run is so far', () => {
    expect(
      estimatedStartTimeDelta(
        timing({ stateType: 'SCHEDULED', expectedStartTime: NOW.minusSeconds(60) }),
        NOW,
      ),
    ).toBe(60);
    expect(
      estimatedStartTimeDelta(
        timing({ stateType: 'CANCELLED', expectedStartTime: NOW.minusSeconds(60) }),
        NOW,
      ),
    ).toBe(0);
    expect(
      estimatedStartTimeDelta(
        timing({ stateType: 'SCHEDULED', expectedStartTime: NOW.plusSeconds(60) }),
        NOW,
      ),
    ).toBe(0);
    expect(estimatedStartTimeDelta(timing({}), NOW)).toBe(0);
  });
});

describe('Poisson delays', () => {
  it('draw by inverse CDF', () => {
    expect(poissonInterval(10, 0, 1, () => 0)).toBeCloseTo(0, 12);
    expect(poissonInterval(10, 0, 1, () => 0.5)).toBeCloseTo(10 * Math.LN2, 10);
  });

  it('stay within the clamp', () => {
    for (const u of [0, 0.1, 0.5, 0.9, 0.999999]) {
      const d = clampedPoissonInterval(10, 0.3, () => u);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(13 + 1e-9);
    }
    expect(clampedPoissonInterval(10, 0.3, () => 1)).toBeCloseTo(13, 9);
    expect(() => clampedPoissonInterval(10, 0)).toThrow();
  });

  it('keep roughly the requested mean', () => {
    let sum = 0;
    const n = 2000;
    for (let i = 0; i < n; i++) sum += clampedPoissonInterval(10, 0.3, () => (i + 0.5) / n);
    expect(sum / n).toBeGreaterThan(7);
    expect(sum / n).toBeLessThan(11);
  });
});

describe('state helpers', () => {
  it('persisted results are objects not typed "unpersisted"', () => {
    expect(isPersistedResult({ storage_key: 'x' })).toBe(true);
    expect(isPersistedResult({ type: 'unpersisted' })).toBe(false);
    expect(isPersistedResult(null)).toBe(false);
    expect(isPersistedResult('x')).toBe(false);
    expect(hasPersistedResult(stateFixture({ type: 'COMPLETED', data: {} }))).toBe(false);
    expect(hasPersistedResult(stateFixture({ type: 'COMPLETED', data: { storage_key: 'x' } }))).toBe(true);
    expect(hasPersistedResult(null)).toBe(false);
  });

  it('truncate long texts around a note', () => {
    expect(truncatedTo(10, null)).toBe('');
    expect(truncatedTo(10, 'short')).toBe('short');
    const long = 'a'.repeat(50) + 'b'.repeat(50);
    expect(truncatedTo(40, long)).toBe(`${'a'.repeat(20)}...60 additional characters...${'b'.repeat(20)}`);
    expect(truncatedTo(98, 'x'.repeat(100))).toBe('x'.repeat(100));
  });
});
