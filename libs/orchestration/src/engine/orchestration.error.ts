/** A rule used the engine wrongly (e.g. rejected without a state a run that has none). */
export class OrchestrationError extends Error {
  override readonly name = 'OrchestrationError';
}
