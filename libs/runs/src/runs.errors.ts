/** `POST /flow_runs/` named a work pool that does not exist (404 `Work pool "x" not found.`). */
export class WorkPoolNotFoundError extends Error {
  override readonly name = 'WorkPoolNotFoundError';

  constructor(readonly poolName: string) {
    super(`Work pool "${poolName}" not found.`);
  }
}
