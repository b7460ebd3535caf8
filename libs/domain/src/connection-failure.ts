/** Node socket error codes that mean "the server could not be reached (now)": worth a retry later. */
const CONNECTION_FAILURE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** True for a Node socket error code saying a server could not be reached (database or broker alike). */
export function isConnectionFailureCode(code: unknown): boolean {
  return typeof code === 'string' && CONNECTION_FAILURE_CODES.has(code);
}
