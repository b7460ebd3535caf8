/**
 * A rule found that an object it depends on has vanished (e.g. the flow run of a task run). The
 * API maps it to 404 `{"exception_message": <message>}`; every other error thrown by
 * `orchestrate` is a 500 (or a 503 when the persistence layer marks it retryable).
 */
export class OrchestrationObjectNotFoundError extends Error {
  override readonly name = 'ObjectNotFoundError';
}
