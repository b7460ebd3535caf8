import { ActionFailed } from './action-failed';

/** One outgoing HTTP request a notification block or webhook sends. */
export interface OutgoingRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Already encoded (JSON or form), or null for none. */
  readonly body: string | null;
}

type Data = Readonly<Record<string, unknown>>;

const JSON_HEADERS = { 'content-type': 'application/json' };

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

function required(data: Data, field: string, slug: string): string {
  const value = str(data[field]);
  if (value === null) throw new ActionFailed(`The notification block was invalid: ${slug} needs ${field}`);
  return value;
}

/** `{{key}}` placeholders of a custom webhook, in every nested string (upstream `_render_string`). */
function substitute(value: unknown, values: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') {
    return value.replace(/\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g, (whole, key: string) => values[key] ?? whole);
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, values));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, values)]));
  }
  return value;
}

function withQuery(url: string, params: unknown): string {
  if (typeof params !== 'object' || params === null) return url;
  const target = new URL(url);
  for (const [k, v] of Object.entries(params)) target.searchParams.append(k, String(v));
  return target.toString();
}

function lowerCased(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof headers !== 'object' || headers === null) return out;
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = String(v);
  return out;
}

/** Custom webhook: `{{subject}}`, `{{body}}`, `{{name}}` and the block's secrets substituted everywhere. */
function customWebhook(data: Data, subject: string, body: string): OutgoingRequest {
  const secrets = typeof data.secrets === 'object' && data.secrets !== null ? (data.secrets as Data) : {};
  const values: Record<string, string> = { subject, body, name: str(data.name) ?? '' };
  for (const [k, v] of Object.entries(secrets)) values[k] = String(v);
  const url = substitute(required(data, 'url', 'custom-webhook'), values) as string;
  const headers = lowerCased(substitute(data.headers ?? {}, values));
  const cookies = substitute(data.cookies ?? null, values) as Data | null;
  if (cookies !== null && Object.keys(cookies).length > 0) {
    headers.cookie = Object.entries(cookies)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join('; ');
  }
  let encoded: string | null = null;
  if (data.json_data != null) {
    encoded = JSON.stringify(substitute(data.json_data, values));
    headers['content-type'] = 'application/json';
  } else if (data.form_data != null) {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(substitute(data.form_data, values) as Data))
      form.append(k, String(v));
    encoded = form.toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  return {
    method: str(data.method) ?? 'POST',
    url: withQuery(url, substitute(data.params ?? null, values)),
    headers,
    body: encoded,
  };
}

function titled(title: string, body: string): string {
  return title === '' ? body : `${title}\n${body}`;
}

/**
 * The HTTP request each notification block type sends for `notify(subject, body)`. Upstream sends
 * through Apprise; these are the services' documented webhook formats. Throws ActionFailed for a
 * type without the `notify` capability or a document missing a required field.
 */
export function notificationRequest(
  slug: string,
  data: Data,
  subject: string,
  body: string,
): OutgoingRequest {
  switch (slug) {
    case 'custom-webhook':
      return customWebhook(data, subject, body);
    case 'slack-webhook':
      return {
        method: 'POST',
        url: required(data, 'url', slug),
        headers: JSON_HEADERS,
        body: JSON.stringify({ text: titled(subject === '' ? '' : `*${subject}*`, body), mrkdwn: true }),
      };
    case 'ms-teams-webhook':
      return {
        method: 'POST',
        url: required(data, 'url', slug),
        headers: JSON_HEADERS,
        body: JSON.stringify({
          '@type': 'MessageCard',
          '@context': 'https://schema.org/extensions',
          summary: subject,
          title: subject,
          text: body,
        }),
      };
    case 'discord-webhook': {
      const id = required(data, 'webhook_id', slug);
      const token = required(data, 'webhook_token', slug);
      const avatar = data.avatar === false ? null : str(data.avatar_url);
      return {
        method: 'POST',
        url: `https://discord.com/api/webhooks/${encodeURIComponent(id)}/${encodeURIComponent(token)}`,
        headers: JSON_HEADERS,
        body: JSON.stringify({
          content: titled(subject === '' ? '' : `**${subject}**`, body),
          tts: data.tts === true,
          ...(str(data.botname) === null ? {} : { username: str(data.botname) }),
          ...(avatar === null ? {} : { avatar_url: avatar }),
        }),
      };
    }
    case 'mattermost-webhook': {
      const host = required(data, 'hostname', slug);
      const token = required(data, 'token', slug);
      const scheme = data.secure === true ? 'https' : 'http';
      const port = typeof data.port === 'number' ? data.port : 8065;
      const path = (str(data.path) ?? '').replace(/\/+$/, '');
      const channels = strings(data.channels);
      return {
        method: 'POST',
        url: `${scheme}://${host}:${port}${path}/hooks/${encodeURIComponent(token)}`,
        headers: JSON_HEADERS,
        body: JSON.stringify({
          text: titled(subject === '' ? '' : `##### ${subject}`, body),
          username: str(data.botname) ?? 'Prefect Notifications',
          ...(channels.length > 0 ? { channel: channels[0] } : {}),
        }),
      };
    }
    case 'pager-duty-webhook': {
      const routingKey = required(data, 'integration_key', slug);
      const host = str(data.region_name) === 'eu' ? 'events.eu.pagerduty.com' : 'events.pagerduty.com';
      const severity =
        data.notify_type === 'failure' ? 'critical' : data.notify_type === 'warning' ? 'warning' : 'info';
      const headers: Record<string, string> = { ...JSON_HEADERS };
      const apiKey = str(data.api_key);
      if (apiKey !== null) headers.authorization = `Token token=${apiKey}`;
      const details =
        typeof data.custom_details === 'object' && data.custom_details !== null ? data.custom_details : {};
      return {
        method: 'POST',
        url: `https://${host}/v2/enqueue`,
        headers,
        body: JSON.stringify({
          routing_key: routingKey,
          event_action: 'trigger',
          payload: {
            summary: subject === '' ? body : subject,
            source: str(data.source) ?? 'Prefect',
            severity,
            ...(str(data.component) === null ? {} : { component: str(data.component) }),
            ...(str(data.group) === null ? {} : { group: str(data.group) }),
            ...(str(data.class_id) === null ? {} : { class: str(data.class_id) }),
            custom_details: { ...details, body },
          },
          ...(str(data.clickable_url) === null ? {} : { links: [{ href: str(data.clickable_url) }] }),
        }),
      };
    }
    case 'opsgenie-webhook': {
      const apiKey = required(data, 'apikey', slug);
      const host = str(data.region_name) === 'eu' ? 'api.eu.opsgenie.com' : 'api.opsgenie.com';
      const responders = [
        ...strings(data.target_user).map((username) => ({ type: 'user', username })),
        ...strings(data.target_team).map((name) => ({ type: 'team', name })),
        ...strings(data.target_schedule).map((name) => ({ type: 'schedule', name })),
        ...strings(data.target_escalation).map((name) => ({ type: 'escalation', name })),
      ];
      return {
        method: 'POST',
        url: `https://${host}/v2/alerts`,
        headers: { ...JSON_HEADERS, authorization: `GenieKey ${apiKey}` },
        body: JSON.stringify({
          message: (subject === '' ? body : subject).slice(0, 130),
          description: body,
          priority: typeof data.priority === 'number' ? `P${data.priority}` : 'P3',
          ...(responders.length > 0 ? { responders } : {}),
          ...(strings(data.tags).length > 0 ? { tags: strings(data.tags) } : {}),
          ...(str(data.alias) === null ? {} : { alias: str(data.alias) }),
          ...(str(data.entity) === null ? {} : { entity: str(data.entity) }),
          ...(typeof data.details === 'object' && data.details !== null ? { details: data.details } : {}),
        }),
      };
    }
    case 'sendgrid-email':
      return {
        method: 'POST',
        url: 'https://api.sendgrid.com/v3/mail/send',
        headers: { ...JSON_HEADERS, authorization: `Bearer ${required(data, 'api_key', slug)}` },
        body: JSON.stringify({
          personalizations: [{ to: strings(data.to_emails).map((email) => ({ email })) }],
          from: { email: required(data, 'sender_email', slug) },
          subject,
          content: [{ type: 'text/plain', value: body }],
        }),
      };
    case 'twilio-sms': {
      const sid = required(data, 'account_sid', slug);
      const token = required(data, 'auth_token', slug);
      return {
        method: 'POST',
        url: `https://api.twilio.com/2010-04-01/Accounts/${encodeURIComponent(sid)}/Messages.json`,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`,
        },
        body: new URLSearchParams({
          From: required(data, 'from_phone_number', slug),
          To: strings(data.to_phone_numbers)[0] ?? '',
          Body: titled(subject, body),
        }).toString(),
      };
    }
    default:
      throw new ActionFailed('The referenced block was not a notification block');
  }
}

/** Every request a notification sends: one per recipient for Twilio (one message per number), else one. */
export function notificationRequests(
  slug: string,
  data: Data,
  subject: string,
  body: string,
): OutgoingRequest[] {
  const first = notificationRequest(slug, data, subject, body);
  if (slug !== 'twilio-sms') return [first];
  return strings(data.to_phone_numbers).map((to) => {
    const form = new URLSearchParams(first.body ?? '');
    form.set('To', to);
    return { ...first, body: form.toString() };
  });
}

/** The request a `webhook` block sends for call-webhook: its method, url and headers; the payload as body. */
export function webhookRequest(data: Data, payload: string): OutgoingRequest {
  const headers = lowerCased(data.headers);
  if (payload !== '' && headers['content-type'] === undefined) {
    headers['content-type'] = looksLikeJson(payload) ? 'application/json' : 'text/plain; charset=utf-8';
  }
  return {
    method: str(data.method) ?? 'POST',
    url: required(data, 'url', 'webhook'),
    headers,
    body: payload === '' ? null : payload,
  };
}

function looksLikeJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Headers never recorded in an action's result (upstream `should_redact_header`). */
export function shouldRedactHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    lower === 'authorization' ||
    lower === 'cookie' ||
    lower === 'set-cookie' ||
    ['token', 'secret', 'api-key', 'apikey', 'password'].some((word) => lower.includes(word))
  );
}
