import type { BuiltInBlock } from '../built-in-block';

/** Block type `slack-credentials` and the schema versions a Prefect 3.8.4 server registers for it. */
export const SLACK_CREDENTIALS_BLOCK: BuiltInBlock = {
  type: {
    name: 'Slack Credentials',
    slug: 'slack-credentials',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/c1965ecbf8704ee1ea20d77786de9a41ce1087d1-500x500.png',
    documentation_url:
      'https://prefecthq.github.io/prefect-slack/credentials/#prefect_slack.credentials.SlackCredentials',
    description:
      'Block holding Slack credentials for use in tasks and flows. This block is part of the prefect-slack collection. Install prefect-slack with `pip install prefect-slack` to use this block.',
    code_example:
      'Load stored Slack credentials:\n```python\nfrom prefect_slack import SlackCredentials\nslack_credentials_block = SlackCredentials.load("BLOCK_NAME")\n```\n\nGet a Slack client:\n```python\nfrom prefect_slack import SlackCredentials\nslack_credentials_block = SlackCredentials.load("BLOCK_NAME")\nclient = slack_credentials_block.get_client()\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:f79058d8fcf22ed575f824b27daa68a52fedaa0e40f7a8a542d4ac9cf3ee8317',
      version: '0.2.2',
      capabilities: [],
      fields: {
        title: 'SlackCredentials',
        description: 'Block holding Slack credentials for use in tasks and flows.',
        type: 'object',
        properties: {
          token: {
            title: 'Token',
            description: 'Bot user OAuth token for the Slack app used to perform actions.',
            type: 'string',
            writeOnly: true,
            format: 'password',
          },
        },
        required: ['token'],
        block_type_slug: 'slack-credentials',
        secret_fields: ['token'],
        block_schema_references: {},
      },
    },
  ],
};
