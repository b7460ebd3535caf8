import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { AutomationAction, TriggeredAction, TriggeringEvent } from '@orrery/automations';

/** One request a local receiver got. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
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
