import { isUuid } from '@orrery/domain';
import type { AutomationActor } from '@orrery/deployments';
import type { FastifyRequest } from 'fastify';

/**
 * The automation behind a request, from the `Prefect-Automation-Id` and base64
 * `Prefect-Automation-Name` headers (both needed, spec-api §8.2); null for everyone else.
 */
export function automationActor(request: FastifyRequest): AutomationActor | null {
  const id = request.headers['prefect-automation-id'];
  const name = request.headers['prefect-automation-name'];
  if (typeof id !== 'string' || typeof name !== 'string' || !isUuid(id)) return null;
  const displayValue = Buffer.from(name, 'base64').toString('utf8');
  return displayValue === ''
    ? null
    : { id: id.toLowerCase(), type: 'AUTOMATION', display_value: displayValue };
}
