import type { BuiltInBlock } from '../built-in-block';

/** Block type `pager-duty-webhook` and the schema versions a Prefect 3.8.4 server registers for it. */
export const PAGER_DUTY_WEBHOOK_BLOCK: BuiltInBlock = {
  type: {
    name: 'Pager Duty Webhook',
    slug: 'pager-duty-webhook',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/8dbf37d17089c1ce531708eac2e510801f7b3aee-250x250.png',
    documentation_url:
      'https://docs.prefect.io/latest/automate/events/automations-triggers#sending-notifications-with-automations',
    description: 'Enables sending notifications via a provided PagerDuty webhook.',
    code_example:
      'Load a saved PagerDuty webhook and send a message:\n```python\nfrom prefect.blocks.notifications import PagerDutyWebHook\npagerduty_webhook_block = PagerDutyWebHook.load("BLOCK_NAME")\npagerduty_webhook_block.notify("Hello from Prefect!")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:78ccfd9313655493e834f59f515865f3160bd395b6003d6e664fefd1a6f49c86',
      version: '3.8.4',
      capabilities: ['notify'],
      fields: {
        block_type_slug: 'pager-duty-webhook',
        description: 'Enables sending notifications via a provided PagerDuty webhook.',
        properties: {
          notify_type: {
            default: 'info',
            description: 'The severity of the notification.',
            enum: ['info', 'success', 'warning', 'failure'],
            title: 'Notify Type',
            type: 'string',
            position: 0,
          },
          integration_key: {
            description:
              "This can be found on the Events API V2 integration's detail page, and is also referred to as a Routing Key. This must be provided alongside `api_key`, but will error if provided alongside `url`.",
            format: 'password',
            title: 'Integration Key',
            type: 'string',
            writeOnly: true,
            position: 1,
          },
          api_key: {
            description:
              'This can be found under Integrations. This must be provided alongside `integration_key`, but will error if provided alongside `url`.',
            format: 'password',
            title: 'API Key',
            type: 'string',
            writeOnly: true,
            position: 2,
          },
          source: {
            anyOf: [
              {
                type: 'string',
              },
              {
                type: 'null',
              },
            ],
            default: 'Prefect',
            description: 'The source string as part of the payload.',
            title: 'Source',
            position: 3,
          },
          component: {
            default: 'Notification',
            description: 'The component string as part of the payload.',
            title: 'Component',
            type: 'string',
            position: 4,
          },
          group: {
            anyOf: [
              {
                type: 'string',
              },
              {
                type: 'null',
              },
            ],
            default: null,
            description: 'The group string as part of the payload.',
            title: 'Group',
            position: 5,
          },
          class_id: {
            anyOf: [
              {
                type: 'string',
              },
              {
                type: 'null',
              },
            ],
            default: null,
            description: 'The class string as part of the payload.',
            title: 'Class ID',
            position: 6,
          },
          region_name: {
            default: 'us',
            description: 'The region name.',
            enum: ['us', 'eu'],
            title: 'Region Name',
            type: 'string',
            position: 7,
          },
          clickable_url: {
            anyOf: [
              {
                format: 'uri',
                minLength: 1,
                type: 'string',
              },
              {
                type: 'null',
              },
            ],
            default: null,
            description: 'A clickable URL to associate with the notice.',
            title: 'Clickable URL',
            position: 8,
          },
          include_image: {
            default: true,
            description: 'Associate the notification status via a represented icon.',
            title: 'Include Image',
            type: 'boolean',
            position: 9,
          },
          custom_details: {
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
            description: 'Additional details to include as part of the payload.',
            examples: ['{"disk_space_left": "145GB"}'],
            title: 'Custom Details',
            position: 10,
          },
        },
        required: ['integration_key', 'api_key'],
        secret_fields: ['integration_key', 'api_key'],
        title: 'PagerDutyWebHook',
        type: 'object',
        block_schema_references: {},
      },
    },
  ],
};
