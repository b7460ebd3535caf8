import type { BuiltInBlock } from '../built-in-block';

/** Block type `slack-webhook` and the schema versions a Prefect 3.8.4 server registers for it. */
export const SLACK_WEBHOOK_BLOCK: BuiltInBlock = {
  type: {
    name: 'Slack Webhook',
    slug: 'slack-webhook',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/c1965ecbf8704ee1ea20d77786de9a41ce1087d1-500x500.png',
    documentation_url:
      'https://docs.prefect.io/latest/automate/events/automations-triggers#sending-notifications-with-automations',
    description:
      'Enables sending notifications via a provided Slack webhook.\n\nSupports both standard Slack webhooks (hooks.slack.com) and Slack GovCloud\nwebhooks (hooks.slack-gov.com).',
    code_example:
      'Load a saved Slack webhook and send a message:\n```python\nfrom prefect.blocks.notifications import SlackWebhook\n\nslack_webhook_block = SlackWebhook.load("BLOCK_NAME")\nslack_webhook_block.notify("Hello from Prefect!")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:415bae7e5906d98e387f8848ccdfd3f3b9cdf01624f08ca228709e1193ac005f',
      version: '3.8.4',
      capabilities: ['notify'],
      fields: {
        block_type_slug: 'slack-webhook',
        description:
          'Enables sending notifications via a provided Slack webhook.\n\nSupports both standard Slack webhooks (hooks.slack.com) and Slack GovCloud\nwebhooks (hooks.slack-gov.com).',
        properties: {
          notify_type: {
            default: 'info',
            description: 'The type of notification being performed.',
            enum: ['info', 'success', 'warning', 'failure'],
            title: 'Notify Type',
            type: 'string',
            position: 0,
          },
          url: {
            description: 'Slack incoming webhook URL used to send notifications.',
            examples: ['https://hooks.slack.com/XXX'],
            format: 'password',
            title: 'Webhook URL',
            type: 'string',
            writeOnly: true,
            position: 1,
          },
          allow_private_urls: {
            default: true,
            description: 'Whether to allow notifications to private URLs. Defaults to True.',
            title: 'Allow Private Urls',
            type: 'boolean',
            position: 2,
          },
        },
        required: ['url'],
        secret_fields: ['url'],
        title: 'SlackWebhook',
        type: 'object',
        block_schema_references: {},
      },
    },
  ],
};
