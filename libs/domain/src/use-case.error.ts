/**
 * An expected failure of a use-case, with the status Prefect's API answers it with and its
 * `detail` (404 "Deployment not found", 409, 422 …). The API renders it as `{"detail": …}`; the
 * actions service turns a status ≥ 300 into a failed action carrying the detail.
 */
export class UseCaseError extends Error {
  override readonly name = 'UseCaseError';

  constructor(
    readonly status: number,
    readonly detail: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
  }

  static notFound(detail = 'Not Found'): UseCaseError {
    return new UseCaseError(404, detail);
  }

  static conflict(detail: string): UseCaseError {
    return new UseCaseError(409, detail);
  }

  static unprocessable(detail: string): UseCaseError {
    return new UseCaseError(422, detail);
  }
}
