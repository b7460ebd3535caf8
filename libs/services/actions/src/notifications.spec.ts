import {
  notificationRequest,
  notificationRequests,
  shouldRedactHeader,
  webhookRequest,
} from './notifications';

const json = (body: string | null): unknown => JSON.parse(body ?? 'null');

describe('the requests notification blocks send', () => {
  it('custom-webhook substitutes subject, body, name and secrets in url, params, headers and JSON', () => {
    const r = notificationRequest(
      'custom-webhook',
      {
        name: 'ops',
        url: 'http://127.0.0.1:9/hook/{{token}}',
        method: 'PUT',
        params: { q: '{{name}}' },
        headers: { 'X-Token': '{{token}}' },
        json_data: { text: '{{subject}}: {{body}}', nested: ['{{name}}'] },
        secrets: { token: 's3cret' },
      },
      'Alert',
      'run failed',
    );
    expect(r).toEqual({
      method: 'PUT',
      url: 'http://127.0.0.1:9/hook/s3cret?q=ops',
      headers: { 'x-token': 's3cret', 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Alert: run failed', nested: ['ops'] }),
    });
    const form = notificationRequest(
      'custom-webhook',
      { url: 'http://h/x', form_data: { m: '{{body}}' } },
      's',
      'b c',
    );
    expect(form.body).toBe('m=b+c');
    expect(form.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('builds each notify-capable block type', () => {
    expect(
      json(notificationRequest('slack-webhook', { url: 'https://hooks.slack.com/x' }, 'S', 'B').body),
    ).toEqual({
      text: '*S*\nB',
      mrkdwn: true,
    });
    expect(
      json(notificationRequest('ms-teams-webhook', { url: 'https://teams/x' }, 'S', 'B').body),
    ).toMatchObject({
      '@type': 'MessageCard',
      title: 'S',
      text: 'B',
    });
    const discord = notificationRequest(
      'discord-webhook',
      { webhook_id: '1', webhook_token: 't', botname: 'bot' },
      'S',
      'B',
    );
    expect(discord.url).toBe('https://discord.com/api/webhooks/1/t');
    expect(json(discord.body)).toEqual({ content: '**S**\nB', tts: false, username: 'bot' });
    const mm = notificationRequest(
      'mattermost-webhook',
      { hostname: 'mm.local', token: 'tok', secure: true, port: 443, channels: ['ops'] },
      'S',
      'B',
    );
    expect(mm.url).toBe('https://mm.local:443/hooks/tok');
    expect(json(mm.body)).toMatchObject({ channel: 'ops', username: 'Prefect Notifications' });
    const pd = notificationRequest(
      'pager-duty-webhook',
      { integration_key: 'rk', api_key: 'k', notify_type: 'failure' },
      'S',
      'B',
    );
    expect(pd.url).toBe('https://events.pagerduty.com/v2/enqueue');
    expect(pd.headers.authorization).toBe('Token token=k');
    expect(json(pd.body)).toMatchObject({
      routing_key: 'rk',
      event_action: 'trigger',
      payload: { summary: 'S', severity: 'critical' },
    });
    const og = notificationRequest(
      'opsgenie-webhook',
      { apikey: 'k', region_name: 'eu', target_team: ['sre'], priority: 1 },
      'S',
      'B',
    );
    expect(og.url).toBe('https://api.eu.opsgenie.com/v2/alerts');
    expect(og.headers.authorization).toBe('GenieKey k');
    expect(json(og.body)).toMatchObject({
      message: 'S',
      description: 'B',
      priority: 'P1',
      responders: [{ type: 'team', name: 'sre' }],
    });
    const sg = notificationRequest(
      'sendgrid-email',
      { api_key: 'k', sender_email: 'a@x', to_emails: ['b@x'] },
      'S',
      'B',
    );
    expect(json(sg.body)).toMatchObject({
      subject: 'S',
      from: { email: 'a@x' },
      personalizations: [{ to: [{ email: 'b@x' }] }],
    });
    const tw = notificationRequests(
      'twilio-sms',
      { account_sid: 'AC1', auth_token: 't', from_phone_number: '+1', to_phone_numbers: ['+2', '+3'] },
      'S',
      'B',
    );
    expect(tw.map((r) => new URLSearchParams(r.body ?? '').get('To'))).toEqual(['+2', '+3']);
  });

  it('refuses a block type without notify and a document missing a field', () => {
    expect(() => notificationRequest('s3-bucket', {}, 's', 'b')).toThrow('not a notification block');
    expect(() => notificationRequest('slack-webhook', {}, 's', 'b')).toThrow(/needs url/);
  });

  it('call-webhook sends the payload with the block’s method and headers; secrets never recorded', () => {
    const r = webhookRequest(
      { url: 'http://h/x', method: 'PATCH', headers: { Authorization: 'Bearer x' } },
      '{"a":1}',
    );
    expect(r).toEqual({
      method: 'PATCH',
      url: 'http://h/x',
      headers: { authorization: 'Bearer x', 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(shouldRedactHeader('Authorization')).toBe(true);
    expect(shouldRedactHeader('x-api-key')).toBe(true);
    expect(shouldRedactHeader('content-type')).toBe(false);
  });
});
