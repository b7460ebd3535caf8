/** A poll named a queue the pool does not have (404 `Work pool queue 'p/q' not found.`). */
export class PollQueueNotFoundError extends Error {
  override readonly name = 'PollQueueNotFoundError';

  constructor(
    readonly poolName: string,
    readonly queueName: string,
  ) {
    super(`Work pool queue '${poolName}/${queueName}' not found.`);
  }
}
