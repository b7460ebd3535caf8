import { isConnectionFailureCode } from '@orrery/domain';

/** Thrown by InMemoryBus.publish when a topic stayed full for publishTimeoutMs (consumers too slow). */
export class BusBackpressureError extends Error {
  constructor(topic: string, waitedMs: number) {
    super(`topic ${topic} stayed full for ${waitedMs} ms: its consumers are not keeping up`);
    this.name = 'BusBackpressureError';
  }
}

/**
 * True when `error` says the broker cannot be reached right now, so the same call will work once it
 * is back: ioredis gave up on a command while disconnected (`MaxRetriesPerRequestError`, "Connection
 * is closed", offline queue disabled), a socket error, a Redis still loading its data set or a
 * replica that cannot take writes during a fail-over, or the in-memory bus under backpressure.
 * The API answers these with 503 + Retry-After; consumers retry them without counting a failure.
 */
export function isBrokerUnavailableError(error: unknown): boolean {
  if (error instanceof BusBackpressureError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const { name, message, code } = error as { name?: unknown; message?: unknown; code?: unknown };
  if (name === 'MaxRetriesPerRequestError') return true;
  if (isConnectionFailureCode(code)) return true;
  return (
    typeof message === 'string' &&
    /^(Connection is closed|Stream isn't writeable|LOADING |READONLY |MASTERDOWN )/.test(message)
  );
}
