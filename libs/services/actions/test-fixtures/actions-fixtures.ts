import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import type { AutomationAction, TriggeredAction, TriggeringEvent } from '@orrery/automations';
import { BlockDocumentService } from '@orrery/blocks';
import { DeploymentFlowRuns, DeploymentsService } from '@orrery/deployments';
import type { Database, FlowRunRecord } from '@orrery/persistence';

/** One request a local receiver got. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** `Date.now()` when the request's body was complete. */
  readonly receivedAt: number;
}

/** A local HTTP receiver standing in for Slack, a webhook endpoint, …: answers 200 and records. */
export class HttpReceiver {
  private constructor(
    private readonly server: Server,
    readonly requests: ReceivedRequest[],
  ) {}

  /** `delayMs(url)`: how long to hold a request before answering (keeps calls in flight). */
  static async start(delayMs: (url: string) => number = () => 0): Promise<HttpReceiver> {
    const requests: ReceivedRequest[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        requests.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          receivedAt: Date.now(),
        });
        setTimeout(
          () => {
            res.writeHead(200, { 'content-type': 'text/plain', 'x-secret-token': 'never-recorded' });
            res.end('ok');
          },
          delayMs(req.url ?? ''),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new HttpReceiver(server, requests);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Distinct Idempotency-Key values received, and how many requests repeated one. */
  keys(): { distinct: Set<string>; resends: number } {
    const distinct = new Set(this.requests.map((r) => String(r.headers['idempotency-key'])));
    return { distinct, resends: this.requests.length - distinct.size };
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A flow-run event as the server emits it (`prefect.flow-run.<State>`). */
export function flowRunEvent(
  flowRunId: string,
  state: string,
  extra: Partial<TriggeringEvent> = {},
): TriggeringEvent {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    occurred: now,
    received: now,
    event: `prefect.flow-run.${state}`,
    resource: {
      'prefect.resource.id': `prefect.flow-run.${flowRunId}`,
      'prefect.resource.name': 'tall-heron',
      'prefect.state-type': state.toUpperCase(),
      'prefect.state-name': state,
    },
    related: [],
    payload: {},
    follows: null,
    ...extra,
  };
}

/** A TriggeredAction as the triggers service publishes it (one action of one firing). */
export function triggeredAction(
  action: AutomationAction,
  event: TriggeringEvent | null,
  options: { automationId?: string; index?: number; firingId?: string; name?: string } = {},
): TriggeredAction {
  const automationId = options.automationId ?? randomUUID();
  const now = new Date().toISOString();
  const trigger = {
    type: 'event' as const,
    id: randomUUID(),
    match: {},
    match_related: [],
    after: [],
    expect: ['prefect.flow-run.Failed'],
    for_each: [],
    posture: 'Reactive' as const,
    threshold: 1,
    within: 0,
  };
  return {
    id: randomUUID(),
    automation: {
      id: automationId,
      created: now,
      updated: now,
      name: options.name ?? 'on failure',
      description: '',
      enabled: true,
      tags: [],
      trigger,
      actions: [action],
      actions_on_trigger: [],
      actions_on_resolve: [],
    },
    firing: {
      id: options.firingId ?? randomUUID(),
      trigger,
      trigger_states: ['Triggered'],
      triggered: now,
      triggering_labels: {},
      triggering_firings: [],
      triggering_event: event,
      triggering_value: null,
    },
    triggered: now,
    triggering_labels: {},
    triggering_event: event,
    action,
    action_index: options.index ?? 0,
    automation_triggered_event_id: randomUUID(),
  };
}

/** A block document of the built-in type `slug` (data encrypted as the API stores it); its id. */
export async function createBlockDocument(
  app: INestApplicationContext,
  db: Database,
  slug: string,
  data: Record<string, unknown>,
): Promise<string> {
  const [schema] = (await db.query(
    `SELECT s.id AS schema_id, t.id AS type_id FROM block_schema s JOIN block_type t ON t.id = s.block_type_id
     WHERE t.slug = $1 ORDER BY s.created DESC LIMIT 1`,
    [slug],
  )) as { schema_id: string; type_id: string }[];
  const view = await app.get(BlockDocumentService, { strict: false }).create({
    name: `${slug}-${randomUUID().slice(0, 8)}`,
    data: data as never,
    block_schema_id: schema!.schema_id,
    block_type_id: schema!.type_id,
    is_anonymous: false,
  });
  return view!.document.id;
}

/** A flow, a deployment of it (no schema enforcement) and one run of it in `state`. */
export async function createDeploymentRun(
  app: INestApplicationContext,
  db: Database,
  state: 'PENDING' | 'SCHEDULED',
): Promise<{ deploymentId: string; run: FlowRunRecord }> {
  const [flow] = (await db.query(`INSERT INTO flow (name) VALUES ($1) RETURNING id`, [
    `flow-${randomUUID().slice(0, 8)}`,
  ])) as { id: string }[];
  const { response } = await app.get(DeploymentsService, { strict: false }).create({
    name: `dep-${randomUUID().slice(0, 8)}`,
    flow_id: flow!.id,
    parameters: { base: 1 },
    enforce_parameter_schema: false,
  });
  const runs = app.get(DeploymentFlowRuns, { strict: false });
  const deployment = await runs.deployment(response.id as string);
  const { run } = await runs.create(deployment, {}, { type: state }, null, {
    apiVersion: null,
    clientVersion: null,
  });
  return { deploymentId: deployment.id, run };
}
