/** One entry of Prefect's (pydantic's) `exception_detail` list. */
export interface ValidationIssue {
  readonly type: string;
  readonly loc: ReadonlyArray<string | number>;
  readonly msg: string;
  readonly input: unknown;
  readonly ctx?: Record<string, unknown>;
}

/**
 * A request whose body, query or path failed validation. Answered with 422 and
 * `{"exception_message": "Invalid request received.", "exception_detail": [...], "request_body": ...}`,
 * naming every bad field by its location.
 */
export class RequestValidationError extends Error {
  constructor(readonly issues: readonly ValidationIssue[]) {
    super(`Invalid request: ${issues.map((i) => `${i.loc.join('.')}: ${i.msg}`).join('; ')}`);
    this.name = 'RequestValidationError';
  }
}
