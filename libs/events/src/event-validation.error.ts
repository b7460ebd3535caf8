/** One problem with an event, shaped like a pydantic error entry so the API can answer 422 with it. */
export interface EventValidationIssue {
  readonly type: string;
  readonly loc: ReadonlyArray<string | number>;
  readonly msg: string;
  readonly input: unknown;
}

/** An event that breaks the schema or a limit of spec-services-events-ha §3.1. */
export class EventValidationError extends Error {
  constructor(readonly issues: readonly EventValidationIssue[]) {
    super(`invalid event: ${issues.map((i) => `${i.loc.join('.')}: ${i.msg}`).join('; ')}`);
    this.name = 'EventValidationError';
  }
}
