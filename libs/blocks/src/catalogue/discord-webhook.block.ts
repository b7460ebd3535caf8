import type { BuiltInBlock } from '../built-in-block';

/** Block type `discord-webhook` and the schema versions a Prefect 3.8.4 server registers for it. */
export const DISCORD_WEBHOOK_BLOCK: BuiltInBlock = {
  type: {
    name: 'Discord Webhook',
    slug: 'discord-webhook',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/9e94976c80ef925b66d24e5d14f0d47baa6b8f88-250x250.png',
    documentation_url:
      'https://docs.prefect.io/latest/automate/events/automations-triggers#sending-notifications-with-automations',
    description: 'Enables sending notifications via a provided Discord webhook.',
    code_example:
      'Load a saved Discord webhook and send a message:\n```python\nfrom prefect.blocks.notifications import DiscordWebhook\n\ndiscord_webhook_block = DiscordWebhook.load("BLOCK_NAME")\n\ndiscord_webhook_block.notify("Hello from Prefect!")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:b3ea94c0ce1573b22c0e7bf2457f5f52a210327e0f7be05c74970a246304b1e2',
      version: '3.8.4',
      capabilities: ['notify'],
      fields: {
        block_type_slug: 'discord-webhook',
        description: 'Enables sending notifications via a provided Discord webhook.',
        properties: {
          notify_type: {
            default: 'info',
            description: 'The type of notification being performed.',
            enum: ['info', 'success', 'warning', 'failure'],
            title: 'Notify Type',
            type: 'string',
            position: 0,
          },
          webhook_id: {
            description: 'The first part of 2 tokens provided to you after creating a incoming-webhook.',
            format: 'password',
            title: 'Webhook Id',
            type: 'string',
            writeOnly: true,
            position: 1,
          },
          webhook_token: {
            description: 'The second part of 2 tokens provided to you after creating a incoming-webhook.',
            format: 'password',
            title: 'Webhook Token',
            type: 'string',
            writeOnly: true,
            position: 2,
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
            description:
              "Identify the name of the bot that should issue the message. If one isn't specified then the default is to just use your account (associated with the incoming-webhook).",
            title: 'Bot name',
            position: 3,
          },
          tts: {
            default: false,
            description: 'Whether to enable Text-To-Speech.',
            title: 'Tts',
            type: 'boolean',
            position: 4,
          },
          include_image: {
            default: false,
            description:
              'Whether to include an image in-line with the message describing the notification type.',
            title: 'Include Image',
            type: 'boolean',
            position: 5,
          },
          avatar: {
            default: false,
            description: 'Whether to override the default discord avatar icon.',
            title: 'Avatar',
            type: 'boolean',
            position: 6,
          },
          avatar_url: {
            anyOf: [
              {
                type: 'string',
              },
              {
                type: 'null',
              },
            ],
            default: null,
            description:
              'Over-ride the default discord avatar icon URL. By default this is not set and Apprise chooses the URL dynamically based on the type of message (info, success, warning, or error).',
            title: 'Avatar URL',
            position: 7,
          },
        },
        required: ['webhook_id', 'webhook_token'],
        secret_fields: ['webhook_id', 'webhook_token'],
        title: 'DiscordWebhook',
        type: 'object',
        block_schema_references: {},
      },
    },
  ],
};
