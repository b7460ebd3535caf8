import type { BuiltInBlock } from '../built-in-block';

/** Block type `custom-webhook` and the schema versions a Prefect 3.8.4 server registers for it. */
export const CUSTOM_WEBHOOK_BLOCK: BuiltInBlock = {
  type: {
    name: 'Custom Webhook',
    slug: 'custom-webhook',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/c7247cb359eb6cf276734d4b1fbf00fb8930e89e-250x250.png',
    documentation_url:
      'https://docs.prefect.io/latest/automate/events/automations-triggers#sending-notifications-with-automations',
    description:
      'Enables sending notifications via any custom webhook.\n\nAll nested string param contains `{{key}}` will be substituted with value from context/secrets.\n\nContext values include: `subject`, `body` and `name`.',
    code_example:
      'Load a saved custom webhook and send a message:\n```python\nfrom prefect.blocks.notifications import CustomWebhookNotificationBlock\n\ncustom_webhook_block = CustomWebhookNotificationBlock.load("BLOCK_NAME")\n\ncustom_webhook_block.notify("Hello from Prefect!")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:69076241f2b9959ae97554957a22ec428886b46f6ed4732af160e117d487c0cf',
      version: '3.8.4',
      capabilities: ['notify'],
      fields: {
        block_type_slug: 'custom-webhook',
        description:
          'Enables sending notifications via any custom webhook.\n\nAll nested string param contains `{{key}}` will be substituted with value from context/secrets.\n\nContext values include: `subject`, `body` and `name`.',
        properties: {
          name: {
            description: 'Name of the webhook.',
            title: 'Name',
            type: 'string',
            position: 0,
          },
          url: {
            description: 'The webhook URL.',
            examples: ['https://hooks.slack.com/XXX'],
            title: 'Webhook URL',
            type: 'string',
            position: 1,
          },
          method: {
            default: 'POST',
            description: 'The webhook request method. Defaults to `POST`.',
            enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
            title: 'Method',
            type: 'string',
            position: 2,
          },
          params: {
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
            description: 'Custom query params.',
            title: 'Query Params',
            position: 3,
          },
          json_data: {
            anyOf: [
              {
                additionalProperties: true,
                type: 'object',
              },
              {
                type: 'null',
              },
            ],
            default: null,
            description: 'Send json data as payload.',
            examples: [
              '{"text": "{{subject}}\\n{{body}}", "title": "{{name}}", "token": "{{tokenFromSecrets}}"}',
            ],
            title: 'JSON Data',
            position: 4,
          },
          form_data: {
            anyOf: [
              {
                additionalProperties: {
                  type: 'string',
                },
                type: 'object',
              },
              {
                type: 'string',
              },
              {
                type: 'null',
              },
            ],
            default: null,
            description:
              'Send form data as payload. Should not be used together with _JSON Data_. Can be a dictionary for form-encoded data or a string for raw body content.',
            examples: [
              '{"text": "{{subject}}\\n{{body}}", "title": "{{name}}", "token": "{{tokenFromSecrets}}"}',
            ],
            title: 'Form Data',
            position: 5,
          },
          headers: {
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
            description: 'Custom headers.',
            title: 'Headers',
            position: 6,
          },
          cookies: {
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
            description: 'Custom cookies.',
            title: 'Cookies',
            position: 7,
          },
          timeout: {
            default: 10,
            description: 'Request timeout in seconds. Defaults to 10.',
            title: 'Timeout',
            type: 'number',
            position: 8,
          },
          allow_private_urls: {
            default: true,
            description: 'Whether to allow notifications to private URLs. Defaults to True.',
            title: 'Allow Private Urls',
            type: 'boolean',
            position: 9,
          },
          secrets: {
            description: 'A dictionary of secret values to be substituted in other configs.',
            examples: ['{"tokenFromSecrets":"SomeSecretToken"}'],
            title: 'Custom Secret Values',
            type: 'object',
            position: 10,
          },
        },
        required: ['name', 'url'],
        secret_fields: ['secrets.*'],
        title: 'CustomWebhookNotificationBlock',
        type: 'object',
        block_schema_references: {},
      },
    },
  ],
};
