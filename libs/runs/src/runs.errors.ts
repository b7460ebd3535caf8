/** `POST /flow_runs/` named a work pool that does not exist (404 `Work pool "x" not found.`). */
export class WorkPoolNotFoundError extends Error {
  override readonly name = 'WorkPoolNotFoundError';

  constructor(readonly poolName: string) {
    super(`Work pool "${poolName}" not found.`);
  }
}

/** `POST /flow_runs/` named a queue its work pool lacks (404 `Work pool queue 'p/q' not found.`). */
export class WorkQueueNotFoundError extends Error {
  override readonly name = 'WorkQueueNotFoundError';

  constructor(
    readonly poolName: string,
    readonly queueName: string,
  ) {
    super(`Work pool queue '${poolName}/${queueName}' not found.`);
  }
}
