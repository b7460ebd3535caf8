import { type OrchestrationParameters } from '@orrery/orchestration';
import type { FastifyRequest } from 'fastify';

/** The orchestration parameters of a request (spec-api §4.1 item 10), from its parsed headers. */
export function orchestrationParams(request: FastifyRequest): OrchestrationParameters {
  return { apiVersion: request.prefectApiVersion, clientVersion: request.prefectClientVersion };
}
