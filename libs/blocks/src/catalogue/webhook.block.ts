import type { BuiltInBlock } from '../built-in-block';

/** Block type `webhook` and the schema versions a Prefect 3.8.4 server registers for it. */
export const WEBHOOK_BLOCK: BuiltInBlock = {
  type: {
    name: 'Webhook',
    slug: 'webhook',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/c7247cb359eb6cf276734d4b1fbf00fb8930e89e-250x250.png',
    documentation_url: 'https://docs.prefect.io/latest/automate/events/webhook-triggers',
    description: 'Block that enables calling webhooks.',
    code_example:
      '```python\nfrom prefect.blocks.webhook import Webhook\n\nwebhook_block = Webhook.load("BLOCK_NAME")\n```',
    is_protected: true,
  },
  schemas: [
    {
      checksum: 'sha256:58bb03f0d84592252ad568ed9a8c899792ae5d0ad2dd4a2428e99674f9050cf1',
      version: '3.8.4',
      capabilities: [],
      fields: {
        block_type_slug: 'webhook',
        description: 'Block that enables calling webhooks.',
        properties: {
          method: {
            default: 'POST',
            description: 'The webhook request method. Defaults to `POST`.',
            enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
            title: 'Method',
            type: 'string',
            position: 0,
          },
          url: {
            description: 'The webhook URL.',
            examples: ['https://hooks.slack.com/XXX'],
            format: 'password',
            title: 'Webhook URL',
            type: 'string',
            writeOnly: true,
            position: 1,
          },
          headers: {
            description: 'A dictionary of headers to send with the webhook request.',
            title: 'Webhook Headers',
            type: 'object',
            position: 2,
          },
          allow_private_urls: {
            default: true,
            description: 'Whether to allow notifications to private URLs. Defaults to True.',
            title: 'Allow Private Urls',
            type: 'boolean',
            position: 3,
          },
          verify: {
            default: true,
            description: 'Whether or not to enforce a secure connection to the webhook.',
            title: 'Verify',
            type: 'boolean',
            position: 4,
          },
        },
        required: ['url'],
        secret_fields: ['url', 'headers.*'],
        title: 'Webhook',
        type: 'object',
        block_schema_references: {},
      },
    },
  ],
};
