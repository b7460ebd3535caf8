import type { OrchestrationSettings } from '../engine/orchestration-parameters';
import { clampedPoissonInterval, type RandomSource } from './poisson';

/**
 * The slot arithmetic of v2 concurrency limits (spec-api §5), as pure functions. The repository
 * must still apply it inside single conditional UPDATE statements (so concurrent requests cannot
 * both take the last slot); these functions state the formulas once, for the SQL to mirror, for
 * in-memory adapters, and for the 423 `Retry-After` answer, which is computed outside SQL.
 */

/** The columns of a `concurrency_limit_v2` row the formulas read. */
export interface SlotLimitRow {
  name: string;
  limit: number;
  active: boolean;
  activeSlots: number;
  deniedSlots: number;
  slotDecayPerSecond: number;
  avgSlotOccupancySeconds: number;
}

/** Average occupancy never drops below this (it divides). */
export const MINIMUM_OCCUPANCY_SECONDS_PER_SLOT = 0.1;
/** The occupancy average spans `limit × 2` samples. */
export const OCCUPANCY_SAMPLES_MULTIPLIER = 2;

/** `tag:` limits wait at most the tag setting (10 s), others the general cap (30 s). */
export function maxSlotWaitSeconds(limitName: string, settings: OrchestrationSettings): number {
  return limitName.startsWith('tag:')
    ? settings.tagConcurrencySlotWaitSeconds
    : settings.maximumConcurrencySlotWaitSeconds;
}

/** Active slots decay at `slot_decay_per_second` (whole slots) since the row was last updated. */
export function activeSlotsAfterDecay(row: SlotLimitRow, secondsSinceUpdated: number): number {
  return Math.max(0, row.activeSlots - Math.floor(row.slotDecayPerSecond * secondsSinceUpdated));
}

/**
 * Denied slots decay at the slot decay rate for rate limits, and for concurrency limits at one per
 * (clamped) average occupancy — the same clamp as Retry-After, so retrying clients do not pile up.
 */
export function deniedSlotsAfterDecay(
  row: SlotLimitRow,
  secondsSinceUpdated: number,
  settings: OrchestrationSettings,
): number {
  const occupancy = Math.max(
    MINIMUM_OCCUPANCY_SECONDS_PER_SLOT,
    Math.min(row.avgSlotOccupancySeconds, maxSlotWaitSeconds(row.name, settings)),
  );
  const rate = row.slotDecayPerSecond > 0 ? row.slotDecayPerSecond : 1 / occupancy;
  return Math.max(0, row.deniedSlots - Math.floor(rate * secondsSinceUpdated));
}

/** Whether `slots` more fit on this limit now (inactive limits are ignored: they always fit). */
export function canTakeSlots(row: SlotLimitRow, slots: number, secondsSinceUpdated: number): boolean {
  return !row.active || activeSlotsAfterDecay(row, secondsSinceUpdated) + slots <= row.limit;
}

/** Active slots after giving back `slots` (never below zero). */
export function activeSlotsAfterRelease(
  row: SlotLimitRow,
  slots: number,
  secondsSinceUpdated: number,
): number {
  return Math.max(0, activeSlotsAfterDecay(row, secondsSinceUpdated) - slots);
}

/**
 * The moving average of seconds a slot is held, updated on release when the client reports how
 * long it held its slots; unchanged when it did not (or reported 0).
 */
export function averageOccupancyAfterRelease(
  row: SlotLimitRow,
  occupancySeconds: number | null,
  slots: number,
): number {
  if (!occupancySeconds || slots <= 0 || row.limit <= 0) return row.avgSlotOccupancySeconds;
  const perSlot = Math.max(occupancySeconds / slots, MINIMUM_OCCUPANCY_SECONDS_PER_SLOT);
  const samples = row.limit * OCCUPANCY_SAMPLES_MULTIPLIER;
  return row.avgSlotOccupancySeconds + perSlot / samples - row.avgSlotOccupancySeconds / samples;
}

/** The 422 answer to an increment request that can never succeed, or null when it may. */
export function slotRequestError(
  rows: SlotLimitRow[],
  slots: number,
  mode: 'concurrency' | 'rate_limit',
): string | null {
  const active = rows.filter((r) => r.active);
  if (active.some((r) => r.limit < slots)) return 'Slots requested is greater than the limit';
  const nonDecaying = active.filter((r) => r.slotDecayPerSecond === 0).map((r) => r.name);
  if (mode === 'rate_limit' && nonDecaying.length > 0) {
    return (
      'Only concurrency limits with slot decay can be used for rate limiting. The following limits do not ' +
      `have a decay configured: '${nonDecaying.join(',')}'`
    );
  }
  return null;
}

/**
 * The `Retry-After` (seconds, jittered) of a 423: driven by the most blocking active limit — the
 * one with the most requested-plus-denied slots per slot of limit (per second of decay for rate
 * limits). Concurrency limits wait about one average occupancy per blocking slot, capped; rate
 * limits wait for their decay. `rows` are the limits as read before this denial was counted.
 */
export function lockedRetryAfterSeconds(
  rows: SlotLimitRow[],
  slots: number,
  settings: OrchestrationSettings,
  random: RandomSource = Math.random,
): number {
  const active = rows.filter((r) => r.active);
  if (active.length === 0) return 0;
  const blockingSlots = (r: SlotLimitRow): number =>
    r.slotDecayPerSecond > 0 ? slots + r.deniedSlots : (slots + r.deniedSlots) / r.limit;
  const blocking = active.reduce((a, b) => (blockingSlots(b) > blockingSlots(a) ? b : a));
  const slotsAhead = blockingSlots(blocking);
  let average: number;
  if (blocking.slotDecayPerSecond === 0) {
    const maxWait = maxSlotWaitSeconds(blocking.name, settings);
    average = Math.min(Math.min(blocking.avgSlotOccupancySeconds, maxWait) * slotsAhead, maxWait);
  } else {
    average = slotsAhead / blocking.slotDecayPerSecond;
  }
  return average > 0 ? clampedPoissonInterval(average, 0.3, random) : 0;
}
