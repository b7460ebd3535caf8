import { ActionFailed } from './action-failed';
import type { OutgoingRequest } from './notifications';

export interface HttpResponse {
  readonly status: number;
  readonly text: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** How long one outgoing notification or webhook call may take. */
export const OUTGOING_TIMEOUT_MS = 30_000;

/**
 * Sends one request with the action's `Idempotency-Key` header, so a receiver can drop a re-send of
 * an action that was in flight when a process died. A network error or timeout is an ActionFailed.
 */
export async function send(
  request: OutgoingRequest,
  idempotencyKey: string,
  what: string,
): Promise<HttpResponse> {
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: { ...request.headers, 'idempotency-key': idempotencyKey },
      ...(request.body === null || request.method === 'GET' ? {} : { body: request.body }),
      signal: AbortSignal.timeout(OUTGOING_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new ActionFailed(`${what} failed: ${cause}`);
  }
  const text = await response.text();
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => (headers[key] = value));
  return { status: response.status, text, headers };
}
