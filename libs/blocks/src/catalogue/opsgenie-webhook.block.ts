import type { BuiltInBlock } from '../built-in-block';

/** Block type `opsgenie-webhook` and the schema versions a Prefect 3.8.4 server registers for it. */
export const OPSGENIE_WEBHOOK_BLOCK: BuiltInBlock = {
  type: {
    name: 'Opsgenie Webhook',
    slug: 'opsgenie-webhook',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/d8b5bc6244ae6cd83b62ec42f10d96e14d6e9113-280x280.png',
    documentation_url:
      'https://docs.prefect.io/latest/automate/events/automations-triggers#sending-notifications-with-automations',
    description: 'Enables sending notifications via a provided Opsgenie webhook.',
    code_example:
      'Load a saved Opsgenie webhook and send a message:\n```python\nfrom prefect.blocks.notifications import OpsgenieWebhook\nopsgenie_webhook_block = OpsgenieWebhook.load("BLOCK_NAME")\nopsgenie_webhook_block.notify("Hello from Prefect!")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:c9d307a75b69d82460134069d071804fefde0ec2c2b9aed67c90201fee041755',
      version: '3.8.4',
      capabilities: ['notify'],
      fields: {
        block_type_slug: 'opsgenie-webhook',
        description: 'Enables sending notifications via a provided Opsgenie webhook.',
        properties: {
          notify_type: {
            default: 'info',
            description: 'The type of notification being performed.',
            enum: ['info', 'success', 'warning', 'failure'],
            title: 'Notify Type',
            type: 'string',
            position: 0,
          },
          apikey: {
            description: 'The API Key associated with your Opsgenie account.',
            format: 'password',
            title: 'API Key',
            type: 'string',
            writeOnly: true,
            position: 1,
          },
          target_user: {
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
            description: 'The user(s) you wish to notify.',
            title: 'Target User',
            position: 2,
          },
          target_team: {
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
            description: 'The team(s) you wish to notify.',
            title: 'Target Team',
            position: 3,
          },
          target_schedule: {
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
            description: 'The schedule(s) you wish to notify.',
            title: 'Target Schedule',
            position: 4,
          },
          target_escalation: {
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
            description: 'The escalation(s) you wish to notify.',
            title: 'Target Escalation',
            position: 5,
          },
          region_name: {
            default: 'us',
            description: 'The 2-character region code.',
            enum: ['us', 'eu'],
            title: 'Region Name',
            type: 'string',
            position: 6,
          },
          batch: {
            default: false,
            description: 'Notify all targets in batches (instead of individually).',
            title: 'Batch',
            type: 'boolean',
            position: 7,
          },
          tags: {
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
            description: 'A comma-separated list of tags you can associate with your Opsgenie message.',
            examples: ['["tag1", "tag2"]'],
            title: 'Tags',
            position: 8,
          },
          priority: {
            anyOf: [
              {
                type: 'integer',
              },
              {
                type: 'null',
              },
            ],
            default: 3,
            description:
              'The priority to associate with the message. It is on a scale between 1 (LOW) and 5 (EMERGENCY).',
            title: 'Priority',
            position: 9,
          },
          alias: {
            anyOf: [
              {
                type: 'string',
              },
              {
                type: 'null',
              },
            ],
            default: null,
            description: 'The alias to associate with the message.',
            title: 'Alias',
            position: 10,
          },
          entity: {
            anyOf: [
              {
                type: 'string',
              },
              {
                type: 'null',
              },
            ],
            default: null,
            description: 'The entity to associate with the message.',
            title: 'Entity',
            position: 11,
          },
          details: {
            anyOf: [
              {
                additionalProperties: {
                  type: 'string',
                },
                type: 'object',
              },
              {
                type: 'null',
              },
            ],
            default: null,
            description: 'Additional details composed of key/values pairs.',
            examples: ['{"key1": "value1", "key2": "value2"}'],
            title: 'Details',
            position: 12,
          },
        },
        required: ['apikey'],
        secret_fields: ['apikey'],
        title: 'OpsgenieWebhook',
        type: 'object',
        block_schema_references: {},
      },
    },
  ],
};
