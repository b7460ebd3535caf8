import type { Settings } from '@orrery/config';
import { loadSettingsOrExit } from './settings';

interface Explanation {
  automation: { id: string; name: string; enabled: boolean };
  since: string;
  until: string;
  events_replayed: number;
  matching_events: {
    event_id: string;
    event: string;
    occurred: string;
    resource_id: string;
    bucket: { key: string[]; count: number; start: string; end: string } | null;
  }[];
  firings: {
    triggered: string;
    triggering_event_id: string | null;
    triggering_labels: Record<string, string>;
  }[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** PREFECT_API_URL, else the local server's address from its settings. */
function apiBase(settings: Settings): string {
  const url = settings.api.url ?? `http://${settings.server.api.host}:${settings.server.api.port}/api`;
  return url.replace(/\/+$/, '');
}

async function request(settings: Settings, method: string, path: string, body?: unknown): Promise<unknown> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const auth = settings.server.api.authString;
  if (auth !== null) headers.authorization = `Basic ${Buffer.from(auth).toString('base64')}`;
  const response = await fetch(`${apiBase(settings)}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as unknown;
}

/** The report `orrery automation test` prints. */
export function formatExplanation(x: Explanation): string {
  const lines = [
    `Automation ${x.automation.name} (${x.automation.id})${x.automation.enabled ? '' : ' — disabled'}`,
    `Replayed ${x.events_replayed} stored event(s) from ${x.since} to ${x.until} (nothing was acted on).`,
    '',
    `Matching events: ${x.matching_events.length}`,
  ];
  for (const m of x.matching_events) {
    const bucket =
      m.bucket === null
        ? 'no open bucket'
        : `bucket [${m.bucket.key.join(', ')}] count ${m.bucket.count} (${m.bucket.start} → ${m.bucket.end})`;
    lines.push(`  ${m.occurred}  ${m.event}  ${m.resource_id}  ${m.event_id}  ${bucket}`);
  }
  lines.push(
    '',
    x.firings.length === 0 ? 'It would not have fired.' : `It would have fired ${x.firings.length} time(s):`,
  );
  for (const f of x.firings) {
    const labels = Object.entries(f.triggering_labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    lines.push(
      `  ${f.triggered}  triggering event ${f.triggering_event_id ?? '(none: proactive)'}${labels ? `  ${labels}` : ''}`,
    );
  }
  return lines.join('\n');
}

/** `orrery automation test <id|name> [--since 24h] [-o json]`. */
export async function automationTest(
  automation: string,
  flags: { since: string; output: 'table' | 'json' },
): Promise<void> {
  const settings = loadSettingsOrExit();
  try {
    let id = automation;
    if (!UUID.test(automation)) {
      const found = (await request(settings, 'POST', '/automations/filter', {
        automations: { name: { any_: [automation] } },
        limit: 2,
      })) as { id: string }[];
      if (found.length === 0) throw new Error(`no automation named ${automation}`);
      if (found.length > 1) throw new Error(`several automations are named ${automation}; give its id`);
      id = found[0]!.id;
    }
    const x = (await request(
      settings,
      'GET',
      `/orrery/automations/${id}/test?since=${encodeURIComponent(flags.since)}`,
    )) as Explanation;
    console.log(flags.output === 'json' ? JSON.stringify(x, null, 2) : formatExplanation(x));
  } catch (error) {
    console.error(`orrery: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
