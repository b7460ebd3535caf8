import type { BuiltInBlock } from '../built-in-block';

/** Block type `ms-teams-webhook` and the schema versions a Prefect 3.8.4 server registers for it. */
export const MS_TEAMS_WEBHOOK_BLOCK: BuiltInBlock = {
  type: {
    name: 'Microsoft Teams Webhook',
    slug: 'ms-teams-webhook',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/817efe008a57f0a24f3587414714b563e5e23658-250x250.png',
    documentation_url:
      'https://docs.prefect.io/latest/automate/events/automations-triggers#sending-notifications-with-automations',
    description: 'Enables sending notifications via a provided Microsoft Teams webhook.',
    code_example:
      'Load a saved Teams webhook and send a message:\n```python\nfrom prefect.blocks.notifications import MicrosoftTeamsWebhook\nteams_webhook_block = MicrosoftTeamsWebhook.load("BLOCK_NAME")\nteams_webhook_block.notify("Hello from Prefect!")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:213ff858fcad8ecddb90a120636c5461fc8ad6fb2877188c9e79f07e6c390c7c',
      version: '3.8.4',
      capabilities: ['notify'],
      fields: {
        block_type_slug: 'ms-teams-webhook',
        description: 'Enables sending notifications via a provided Microsoft Teams webhook.',
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
            description: 'The Microsoft Power Automate (Workflows) URL used to send notifications to Teams.',
            examples: [
              'https://prod-NO.LOCATION.logic.azure.com:443/workflows/WFID/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=SIGNATURE',
            ],
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
          include_image: {
            default: true,
            description: 'Include an image with the notification.',
            title: 'Include Image',
            type: 'boolean',
            position: 3,
          },
          wrap: {
            default: true,
            description: 'Wrap the notification text.',
            title: 'Wrap',
            type: 'boolean',
            position: 4,
          },
        },
        required: ['url'],
        secret_fields: ['url'],
        title: 'MicrosoftTeamsWebhook',
        type: 'object',
        block_schema_references: {},
      },
    },
  ],
};
