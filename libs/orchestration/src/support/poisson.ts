/**
 * Jittered delays drawn from an exponential distribution (the inter-arrival times of a Poisson
 * process), clamped so the average stays near the requested interval. Waiting tasks that all got
 * the same fixed delay would wake up together and collide again; the jitter spreads them out.
 * `random` is injectable (a number in [0, 1)) so tests are deterministic.
 */
export type RandomSource = () => number;

/** Inverse-CDF draw from Exp(1/average), with the uniform variate restricted to [lower, upper]. */
export function poissonInterval(
  average: number,
  lower = 0,
  upper = 1,
  random: RandomSource = Math.random,
): number {
  const u = lower + (upper - lower) * random();
  return -Math.log(Math.max(1 - u, 1e-10)) * average;
}

function exponentialCdf(x: number, average: number): number {
  return 1 - Math.exp(-x / average);
}

/**
 * For an upper clamp at k × average, the lower multiple c such that the probability mass between
 * c × average and the median equals the mass between the median and k × average.
 */
function lowerClampMultiple(k: number): number {
  if (k >= 50) return 0; // 2^k overflows the useful range
  return Math.log2(Math.max(2 ** k / (2 ** k - 1), 1e-10));
}

/**
 * A Poisson interval bounded to at most `average × (1 + clampingFactor)` and at least a lower bound
 * chosen to keep the mean close to `average`. `clampingFactor` must be > 0.
 */
export function clampedPoissonInterval(
  average: number,
  clampingFactor = 0.3,
  random: RandomSource = Math.random,
): number {
  if (clampingFactor <= 0) throw new RangeError('`clamping_factor` must be >= 0.');
  const upperMultiple = 1 + clampingFactor;
  const upperBound = average * upperMultiple;
  const lowerBound = Math.max(0, average * lowerClampMultiple(upperMultiple));
  return poissonInterval(
    average,
    exponentialCdf(lowerBound, average),
    exponentialCdf(upperBound, average),
    random,
  );
}
