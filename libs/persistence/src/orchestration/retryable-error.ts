/** PostgreSQL SQLSTATEs that mean "try again": serialization, deadlock, lock timeout, shutdown, … */
const RETRYABLE_SQLSTATES = new Set([
  '40001',
  '40P01',
  '55P03',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08003',
  '08006',
]);
const RETRYABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

/**
 * The state store's answer to `isRetryableError`: errors the client should retry re-throw out of
 * orchestration (the API answers 503) instead of becoming ABORT "Error validating state". Mirrors
 * the API's own 503 mapping (libs/api http/error-response.ts), which this lib cannot import.
 */
export function isRetryableDatabaseError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const driverError = (error as { driverError?: { code?: unknown } }).driverError;
  const code = driverError?.code ?? (error as { code?: unknown }).code;
  if (typeof code !== 'string') {
    return (
      error instanceof Error &&
      /Connection terminated|timeout exceeded when trying to connect/i.test(error.message)
    );
  }
  return RETRYABLE_SQLSTATES.has(code) || RETRYABLE_NODE_CODES.has(code);
}
