import { DEFAULT_ORCHESTRATION_SETTINGS as SETTINGS } from '../engine/orchestration-parameters';
import {
  activeSlotsAfterDecay,
  activeSlotsAfterRelease,
  averageOccupancyAfterRelease,
  canTakeSlots,
  deniedSlotsAfterDecay,
  lockedRetryAfterSeconds,
  maxSlotWaitSeconds,
  slotRequestError,
  type SlotLimitRow,
} from './concurrency-math';

function row(overrides: Partial<SlotLimitRow> = {}): SlotLimitRow {
  return {
    name: 'db',
    limit: 2,
    active: true,
    activeSlots: 0,
    deniedSlots: 0,
    slotDecayPerSecond: 0,
    avgSlotOccupancySeconds: 2,
    ...overrides,
  };
}

describe('v2 slot arithmetic (spec-api §5)', () => {
  it('decays active slots in whole slots, never below zero', () => {
    expect(activeSlotsAfterDecay(row({ activeSlots: 5, slotDecayPerSecond: 0.5 }), 3)).toBe(4);
    expect(activeSlotsAfterDecay(row({ activeSlots: 1, slotDecayPerSecond: 2 }), 10)).toBe(0);
    expect(activeSlotsAfterDecay(row({ activeSlots: 3 }), 1000)).toBe(3);
  });

  it('admits a request only if decayed + slots ≤ limit (inactive limits do not count)', () => {
    expect(canTakeSlots(row({ activeSlots: 1 }), 1, 0)).toBe(true);
    expect(canTakeSlots(row({ activeSlots: 2 }), 1, 0)).toBe(false);
    expect(canTakeSlots(row({ activeSlots: 2, slotDecayPerSecond: 1 }), 1, 1)).toBe(true);
    expect(canTakeSlots(row({ activeSlots: 2, active: false }), 1, 0)).toBe(true);
  });

  it('releases slots down to zero', () => {
    expect(activeSlotsAfterRelease(row({ activeSlots: 2 }), 1, 0)).toBe(1);
    expect(activeSlotsAfterRelease(row({ activeSlots: 0 }), 1, 0)).toBe(0);
  });

  it('decays denied slots by the decay rate, or one per clamped average occupancy', () => {
    expect(deniedSlotsAfterDecay(row({ deniedSlots: 10, slotDecayPerSecond: 2 }), 2, SETTINGS)).toBe(6);
    expect(deniedSlotsAfterDecay(row({ deniedSlots: 10, avgSlotOccupancySeconds: 2 }), 4, SETTINGS)).toBe(8);
    // An occupancy of an hour is clamped to the 30 s cap (10 s for tag limits).
    expect(deniedSlotsAfterDecay(row({ deniedSlots: 10, avgSlotOccupancySeconds: 3600 }), 60, SETTINGS)).toBe(
      8,
    );
    expect(
      deniedSlotsAfterDecay(
        row({ name: 'tag:x', deniedSlots: 10, avgSlotOccupancySeconds: 3600 }),
        60,
        SETTINGS,
      ),
    ).toBe(4);
  });

  it('keeps a moving average of occupancy over limit × 2 samples, floored at 0.1 s per slot', () => {
    expect(averageOccupancyAfterRelease(row({ limit: 2, avgSlotOccupancySeconds: 2 }), 10, 1)).toBeCloseTo(
      2 + 10 / 4 - 2 / 4,
      10,
    );
    expect(averageOccupancyAfterRelease(row({ limit: 1, avgSlotOccupancySeconds: 2 }), 0.01, 1)).toBeCloseTo(
      2 + 0.1 / 2 - 1,
      10,
    );
    expect(averageOccupancyAfterRelease(row(), null, 1)).toBe(2);
  });

  it('refuses impossible requests with Prefect’s 422 messages', () => {
    expect(slotRequestError([row({ limit: 1 })], 2, 'concurrency')).toBe(
      'Slots requested is greater than the limit',
    );
    expect(slotRequestError([row({ limit: 1, active: false })], 2, 'concurrency')).toBeNull();
    expect(slotRequestError([row({ name: 'a' }), row({ name: 'b' })], 1, 'rate_limit')).toBe(
      "Only concurrency limits with slot decay can be used for rate limiting. The following limits do not have a decay configured: 'a,b'",
    );
    expect(slotRequestError([row({ slotDecayPerSecond: 1 })], 1, 'rate_limit')).toBeNull();
  });

  it('caps Retry-After for concurrency limits and follows the decay for rate limits', () => {
    expect(maxSlotWaitSeconds('tag:a', SETTINGS)).toBe(10);
    expect(maxSlotWaitSeconds('deployment:x', SETTINGS)).toBe(30);
    const top = () => 1; // the upper end of the clamp: average × 1.3
    // (1 requested + 3 denied) / limit 2 = 2 blocking slots × 2 s occupancy = 4 s average.
    expect(lockedRetryAfterSeconds([row({ deniedSlots: 3 })], 1, SETTINGS, top)).toBeCloseTo(5.2, 9);
    // Many denials: capped at 30 s (10 s for tag limits).
    expect(lockedRetryAfterSeconds([row({ deniedSlots: 1000 })], 1, SETTINGS, top)).toBeCloseTo(39, 9);
    expect(
      lockedRetryAfterSeconds([row({ name: 'tag:a', deniedSlots: 1000 })], 1, SETTINGS, top),
    ).toBeCloseTo(13, 9);
    // Rate limit: (1 + 1) slots ahead at 0.5 slot/s = 4 s.
    expect(
      lockedRetryAfterSeconds([row({ slotDecayPerSecond: 0.5, deniedSlots: 1 })], 1, SETTINGS, top),
    ).toBeCloseTo(5.2, 9);
    expect(lockedRetryAfterSeconds([row({ active: false })], 1, SETTINGS, top)).toBe(0);
  });
});
