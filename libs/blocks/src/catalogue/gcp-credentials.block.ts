import type { BuiltInBlock } from '../built-in-block';

/** Block type `gcp-credentials` and the schema versions a Prefect 3.8.4 server registers for it. */
export const GCP_CREDENTIALS_BLOCK: BuiltInBlock = {
  type: {
    name: 'GCP Credentials',
    slug: 'gcp-credentials',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/10424e311932e31c477ac2b9ef3d53cefbaad708-250x250.png',
    documentation_url:
      'https://prefecthq.github.io/prefect-gcp/credentials/#prefect_gcp.credentials.GcpCredentials',
    description:
      "Block used to manage authentication with GCP. Google authentication is\nhandled via the `google.oauth2` module or through the CLI.\nSpecify either one of service `account_file` or `service_account_info`; if both\nare not specified, the client will try to detect the credentials following Google's\n[Application Default Credentials](https://cloud.google.com/docs/authentication/application-default-credentials).\nSee Google's [Authentication documentation](https://cloud.google.com/docs/authentication#service-accounts)\nfor details on inference and recommended authentication patterns. This block is part of the prefect-gcp collection. Install prefect-gcp with `pip install prefect-gcp` to use this block.",
    code_example:
      'Load GCP credentials stored in a `GCP Credentials` Block:\n```python\nfrom prefect_gcp import GcpCredentials\ngcp_credentials_block = GcpCredentials.load("BLOCK_NAME")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:f764f9c506a2bed9e5ed7cc9083d06d95f13c01c8c9a9e45bae5d9b4dc522624',
      version: 'non-versioned',
      capabilities: [],
      fields: {
        title: 'GcpCredentials',
        description:
          "Block used to manage authentication with GCP. Google authentication is\nhandled via the `google.oauth2` module or through the CLI.\nSpecify either one of service `account_file` or `service_account_info`; if both\nare not specified, the client will try to detect the credentials following Google's\n[Application Default Credentials](https://cloud.google.com/docs/authentication/application-default-credentials).\nSee Google's [Authentication documentation](https://cloud.google.com/docs/authentication#service-accounts)\nfor details on inference and recommended authentication patterns.",
        type: 'object',
        properties: {
          service_account_file: {
            title: 'Service Account File',
            description: 'Path to the service account JSON keyfile.',
            type: 'string',
            format: 'path',
          },
          service_account_info: {
            title: 'Service Account Info',
            description: 'The contents of the keyfile as a dict.',
            type: 'object',
          },
          project: {
            title: 'Project',
            description: 'The GCP project to use for the client.',
            type: 'string',
          },
        },
        block_type_slug: 'gcp-credentials',
        secret_fields: ['service_account_info.*'],
        block_schema_references: {},
      },
    },
    {
      checksum: 'sha256:f764f9c506a2bed9e5ed7cc9083d06d95f13c01c8c9a9e45bae5d9b4dc522624',
      version: '0.5.8',
      capabilities: [],
      fields: {
        title: 'GcpCredentials',
        description:
          "Block used to manage authentication with GCP. Google authentication is\nhandled via the `google.oauth2` module or through the CLI.\nSpecify either one of service `account_file` or `service_account_info`; if both\nare not specified, the client will try to detect the credentials following Google's\n[Application Default Credentials](https://cloud.google.com/docs/authentication/application-default-credentials).\nSee Google's [Authentication documentation](https://cloud.google.com/docs/authentication#service-accounts)\nfor details on inference and recommended authentication patterns.",
        type: 'object',
        properties: {
          service_account_file: {
            title: 'Service Account File',
            description: 'Path to the service account JSON keyfile.',
            type: 'string',
            format: 'path',
          },
          service_account_info: {
            title: 'Service Account Info',
            description: 'The contents of the keyfile as a dict.',
            type: 'object',
          },
          project: {
            title: 'Project',
            description: 'The GCP project to use for the client.',
            type: 'string',
          },
        },
        block_type_slug: 'gcp-credentials',
        secret_fields: ['service_account_info.*'],
        block_schema_references: {},
      },
    },
  ],
};
