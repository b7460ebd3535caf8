import { randomUUID } from 'node:crypto';
import { waitFor } from '@orrery/testing';
import type { HttpReceiver } from './actions-fixtures';

// REST helpers for end-to-end automation tests: everything through the API a Prefect client uses.

type Json = Record<string, unknown>;

export async function api<T = Json>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text === '' ? null : JSON.parse(text)) as T;
}

/** A block document of the built-in type `slug`, created through the API; its id. */
export async function blockDocument(base: string, slug: string, data: Json): Promise<string> {
  const type = await api<{ id: string }>(base, 'GET', `/block_types/slug/${slug}`);
  const [schema] = await api<{ id: string }[]>(base, 'POST', '/block_schemas/filter', {
    block_schemas: { block_type_id: { any_: [type.id] } },
  });
  const doc = await api<{ id: string }>(base, 'POST', '/block_documents/', {
    name: `${slug}-${randomUUID().slice(0, 8)}`,
    data,
    block_schema_id: schema!.id,
    block_type_id: type.id,
  });
  return doc.id;
}

/** A flow and a deployment of it; the deployment's id. */
export async function deployment(base: string, tag: string): Promise<string> {
  const flow = await api<{ id: string }>(base, 'POST', '/flows/', { name: `chain-flow-${tag}` });
  const dep = await api<{ id: string }>(base, 'POST', '/deployments/', {
    name: `chain-${tag}`,
    flow_id: flow.id,
    parameters: {},
    enforce_parameter_schema: false,
  });
  return dep.id;
}

export const automation = (base: string, body: Json) =>
  api<{ id: string }>(base, 'POST', '/automations/', body);

export const customEvent = (name: string): Json => ({
  id: randomUUID(),
  occurred: new Date().toISOString(),
  event: name,
  resource: { 'prefect.resource.id': 'chain.operator' },
  related: [],
  payload: {},
});

/**
 * Returns once every automation created before the call is in the triggers' cache: creates a marker
 * automation (call-webhook to the receiver) after them and posts its event until the marker acts. The
 * cache takes changes in order (in process, or NOTIFY then the snapshot), so the earlier ones are live.
 */
export async function live(base: string, receiver: HttpReceiver): Promise<void> {
  const marker = `chain.marker.${randomUUID()}`;
  const hook = await blockDocument(base, 'webhook', {
    url: `${receiver.url}/${marker}`,
    method: 'POST',
    headers: {},
  });
  await automation(base, {
    name: marker,
    trigger: { posture: 'Reactive', expect: [marker], threshold: 1, within: 0 },
    actions: [{ type: 'call-webhook', block_document_id: hook, payload: 'marker' }],
  });
  await waitFor(
    async () => {
      if (receiver.requests.some((r) => r.url === `/${marker}`)) return true;
      await api(base, 'POST', '/events', [customEvent(marker)]);
      return false;
    },
    { timeoutMs: 20_000, intervalMs: 500, what: 'the marker automation to act' },
  );
}
