import { HttpException } from '@nestjs/common';

/**
 * An error the API answers with Prefect's explicit-HTTP-error body, `{"detail": "<message>"}`.
 * Handlers throw it for every expected failure (404 "Flow run not found", 409, 423 …).
 */
export class PrefectHttpError extends HttpException {
  constructor(
    status: number,
    readonly detail: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super({ detail }, status);
  }

  static notFound(detail = 'Not Found'): PrefectHttpError {
    return new PrefectHttpError(404, detail);
  }

  static conflict(detail: string): PrefectHttpError {
    return new PrefectHttpError(409, detail);
  }

  static unprocessable(detail: string): PrefectHttpError {
    return new PrefectHttpError(422, detail);
  }
}
