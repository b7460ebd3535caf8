import type { BuiltInBlock } from '../built-in-block';

/** Block type `sendgrid-email` and the schema versions a Prefect 3.8.4 server registers for it. */
export const SENDGRID_EMAIL_BLOCK: BuiltInBlock = {
  type: {
    name: 'Sendgrid Email',
    slug: 'sendgrid-email',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/82bc6ed16ca42a2252a5512c72233a253b8a58eb-250x250.png',
    documentation_url:
      'https://docs.prefect.io/latest/automate/events/automations-triggers#sending-notifications-with-automations',
    description: 'Enables sending notifications via Sendgrid email service.',
    code_example:
      'Load a saved Sendgrid and send a email message:\n```python\nfrom prefect.blocks.notifications import SendgridEmail\n\nsendgrid_block = SendgridEmail.load("BLOCK_NAME")\n\nsendgrid_block.notify("Hello from Prefect!")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:b67583d3b7ce215cd84a58ba42bb8936294cc1417ff3fe54d0fb08447932c6f2',
      version: '3.8.4',
      capabilities: ['notify'],
      fields: {
        block_type_slug: 'sendgrid-email',
        description: 'Enables sending notifications via Sendgrid email service.',
        properties: {
          notify_type: {
            default: 'info',
            description: 'The type of notification being performed.',
            enum: ['info', 'success', 'warning', 'failure'],
            title: 'Notify Type',
            type: 'string',
            position: 0,
          },
          api_key: {
            description: 'The API Key associated with your sendgrid account.',
            format: 'password',
            title: 'API Key',
            type: 'string',
            writeOnly: true,
            position: 1,
          },
          sender_email: {
            description: 'The sender email id.',
            examples: ['test-support@gmail.com'],
            title: 'Sender email id',
            type: 'string',
            position: 2,
          },
          to_emails: {
            description: 'Email ids of all recipients.',
            examples: ['["recipient1@gmail.com", "recipient2@gmail.com"]'],
            items: {
              type: 'string',
            },
            title: 'Recipient emails',
            type: 'array',
            position: 3,
          },
        },
        required: ['api_key', 'sender_email', 'to_emails'],
        secret_fields: ['api_key'],
        title: 'SendgridEmail',
        type: 'object',
        block_schema_references: {},
      },
    },
  ],
};
