import type { BuiltInBlock } from '../built-in-block';

/** Block type `twilio-sms` and the schema versions a Prefect 3.8.4 server registers for it. */
export const TWILIO_SMS_BLOCK: BuiltInBlock = {
  type: {
    name: 'Twilio SMS',
    slug: 'twilio-sms',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/8bd8777999f82112c09b9c8d57083ac75a4a0d65-250x250.png',
    documentation_url:
      'https://docs.prefect.io/latest/automate/events/automations-triggers#sending-notifications-with-automations',
    description: 'Enables sending notifications via Twilio SMS.',
    code_example:
      'Load a saved `TwilioSMS` block and send a message:\n```python\nfrom prefect.blocks.notifications import TwilioSMS\ntwilio_webhook_block = TwilioSMS.load("BLOCK_NAME")\ntwilio_webhook_block.notify("Hello from Prefect!")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:2ab73fedd20ff1c25ffcc47f5b4a7a86c70c307321af1262f9d03defba5c8cc6',
      version: '3.8.4',
      capabilities: ['notify'],
      fields: {
        block_type_slug: 'twilio-sms',
        description: 'Enables sending notifications via Twilio SMS.',
        properties: {
          notify_type: {
            default: 'info',
            description: 'The type of notification being performed.',
            enum: ['info', 'success', 'warning', 'failure'],
            title: 'Notify Type',
            type: 'string',
            position: 0,
          },
          account_sid: {
            description: 'The Twilio Account SID - it can be found on the homepage of the Twilio console.',
            title: 'Account Sid',
            type: 'string',
            position: 1,
          },
          auth_token: {
            description:
              'The Twilio Authentication Token - it can be found on the homepage of the Twilio console.',
            format: 'password',
            title: 'Auth Token',
            type: 'string',
            writeOnly: true,
            position: 2,
          },
          from_phone_number: {
            description: 'The valid Twilio phone number to send the message from.',
            examples: ['18001234567'],
            title: 'From Phone Number',
            type: 'string',
            position: 3,
          },
          to_phone_numbers: {
            description: 'A list of valid Twilio phone number(s) to send the message to.',
            examples: ['["18004242424", "18004242425"]'],
            items: {
              type: 'string',
            },
            title: 'To Phone Numbers',
            type: 'array',
            position: 4,
          },
        },
        required: ['account_sid', 'auth_token', 'from_phone_number', 'to_phone_numbers'],
        secret_fields: ['auth_token'],
        title: 'TwilioSMS',
        type: 'object',
        block_schema_references: {},
      },
    },
  ],
};
