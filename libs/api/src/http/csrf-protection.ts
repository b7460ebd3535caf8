import type { FastifyInstance } from 'fastify';
import type { CsrfTokenStore } from '../root/ports';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * With `PREFECT_SERVER_API_CSRF_PROTECTION_ENABLED`, every mutating request must carry
 * `Prefect-Csrf-Token` and `Prefect-Csrf-Client` matching a live token issued by
 * `GET /api/csrf-token?client=…`; otherwise 403 with Prefect's messages (spec-api §8.4). The SDK
 * re-fetches its token once when the body says "Invalid CSRF token".
 */
export function installCsrfProtection(fastify: FastifyInstance, store: () => CsrfTokenStore | null): void {
  fastify.addHook('preHandler', async (request, reply) => {
    if (!MUTATING.has(request.method)) return;
    const token = request.headers['prefect-csrf-token'];
    const client = request.headers['prefect-csrf-client'];
    if (typeof token !== 'string' || token === '') {
      return reply.code(403).send({ detail: 'Missing CSRF token.' });
    }
    if (typeof client !== 'string' || client === '') {
      return reply.code(403).send({ detail: 'Missing client identifier.' });
    }
    const tokens = store();
    if (tokens === null || !(await tokens.isValid(client, token))) {
      return reply
        .code(403)
        .header('Access-Control-Allow-Origin', '*')
        .send({ detail: 'Invalid CSRF token or client identifier.' });
    }
    return undefined;
  });
}
