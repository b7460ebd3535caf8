import type { BuiltInBlock } from '../built-in-block';

/** Block type `mattermost-webhook` and the schema versions a Prefect 3.8.4 server registers for it. */
export const MATTERMOST_WEBHOOK_BLOCK: BuiltInBlock = {
  type: {
    name: 'Mattermost Webhook',
    slug: 'mattermost-webhook',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/1350a147130bf82cbc799a5f868d2c0116207736-250x250.png',
    documentation_url:
      'https://docs.prefect.io/latest/automate/events/automations-triggers#sending-notifications-with-automations',
    description: 'Enables sending notifications via a provided Mattermost webhook.',
    code_example:
      'Load a saved Mattermost webhook and send a message:\n```python\nfrom prefect.blocks.notifications import MattermostWebhook\n\nmattermost_webhook_block = MattermostWebhook.load("BLOCK_NAME")\n\nmattermost_webhook_block.notify("Hello from Prefect!")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:34daad1160b59fb6d5c8fc59d09abb2cbf9c2283b7b9f6a76cbaad827002d14c',
      version: '3.8.4',
      capabilities: ['notify'],
      fields: {
        block_type_slug: 'mattermost-webhook',
        description: 'Enables sending notifications via a provided Mattermost webhook.',
        properties: {
          notify_type: {
            default: 'info',
            description: 'The type of notification being performed.',
            enum: ['info', 'success', 'warning', 'failure'],
            title: 'Notify Type',
            type: 'string',
            position: 0,
          },
          hostname: {
            description: 'The hostname of your Mattermost server.',
            examples: ['Mattermost.example.com'],
            title: 'Hostname',
            type: 'string',
            position: 1,
          },
          secure: {
            default: false,
            description: 'Whether to use secure https connection.',
            title: 'Secure',
            type: 'boolean',
            position: 2,
          },
          token: {
            description: 'The token associated with your Mattermost webhook.',
            format: 'password',
            title: 'Token',
            type: 'string',
            writeOnly: true,
            position: 3,
          },
          botname: {
            anyOf: [
              {
                type: 'string',
              },
              {
                type: 'null',
              },
            ],
            default: null,
            description: 'The name of the bot that will send the message.',
            title: 'Bot name',
            position: 4,
          },
          channels: {
            anyOf: [
              {
                items: {
                  type: 'string',
                },
                type: 'array',
              },
              {
                type: 'null',
              },
            ],
            default: null,
            description: 'The channel(s) you wish to notify.',
            title: 'Channels',
            position: 5,
          },
          include_image: {
            default: false,
            description: 'Whether to include the Apprise status image in the message.',
            title: 'Include Image',
            type: 'boolean',
            position: 6,
          },
          path: {
            anyOf: [
              {
                type: 'string',
              },
              {
                type: 'null',
              },
            ],
            default: null,
            description: 'An optional sub-path specification to append to the hostname.',
            title: 'Path',
            position: 7,
          },
          port: {
            default: 8065,
            description: 'The port of your Mattermost server.',
            title: 'Port',
            type: 'integer',
            position: 8,
          },
        },
        required: ['hostname', 'token'],
        secret_fields: ['token'],
        title: 'MattermostWebhook',
        type: 'object',
        block_schema_references: {},
      },
    },
  ],
};
