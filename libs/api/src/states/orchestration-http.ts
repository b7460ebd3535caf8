import { OrchestrationObjectNotFoundError, type OrchestrationParameters } from '@orrery/orchestration';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The orchestration parameters of a request (spec-api §4.1 item 10), from its parsed headers. */
export function orchestrationParams(request: FastifyRequest): OrchestrationParameters {
  return { apiVersion: request.prefectApiVersion, clientVersion: request.prefectClientVersion };
}

/**
 * Runs a state-changing use-case and maps a rule's "object not found" to Prefect's model-layer
 * 404, `{"exception_message": …}` — a shape the shared error renderer (which answers HTTP errors
 * with `{"detail"}`) does not produce. Everything else propagates to it (retryable → 503, else 500).
 */
export async function withObjectNotFound<T>(
  reply: FastifyReply,
  work: () => Promise<T>,
): Promise<T | { exception_message: string }> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof OrchestrationObjectNotFoundError)) throw error;
    void reply.code(404);
    return { exception_message: error.message };
  }
}
