import { isConnectionFailureCode } from '@orrery/domain';

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
/**
 * True when the same statement may work if tried again: the database is unreachable or restarting,
 * or a serialization failure, deadlock or lock timeout. One rule for every caller: the API answers
 * these with 503 + Retry-After, orchestration re-throws them instead of ABORT "Error validating
 * state", and bus consumers retry them in place instead of counting a failed delivery.
 */
export function isRetryableDatabaseError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const driverError = (error as { driverError?: { code?: unknown } }).driverError;
  const code = driverError?.code ?? (error as { code?: unknown }).code;
  if (typeof code !== 'string') {
    return (
      error instanceof Error &&
      // node-postgres's own words for a lost connection (no code): terminated, the pool's connect
      // timeout, or a pooled client whose connection died while it was checked out.
      /Connection terminated|timeout exceeded when trying to connect|is not queryable/i.test(error.message)
    );
  }
  return RETRYABLE_SQLSTATES.has(code) || isConnectionFailureCode(code);
}
