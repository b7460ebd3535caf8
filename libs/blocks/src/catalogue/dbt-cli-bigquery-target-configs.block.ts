import type { BuiltInBlock } from '../built-in-block';

/** Block type `dbt-cli-bigquery-target-configs` and the schema versions a Prefect 3.8.4 server registers for it. */
export const DBT_CLI_BIGQUERY_TARGET_CONFIGS_BLOCK: BuiltInBlock = {
  type: {
    name: 'dbt CLI BigQuery Target Configs',
    slug: 'dbt-cli-bigquery-target-configs',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/1f4742f3473da5a9fc873430a803bb739e5e48a6-400x400.png',
    documentation_url:
      'https://prefecthq.github.io/prefect-dbt/cli/configs/bigquery/#prefect_dbt.cli.configs.bigquery.BigQueryTargetConfigs',
    description:
      'dbt CLI target configs containing credentials and settings, specific to BigQuery. This block is part of the prefect-dbt collection. Install prefect-dbt with `pip install prefect-dbt` to use this block.',
    code_example:
      'Load stored BigQueryTargetConfigs.\n```python\nfrom prefect_dbt.cli.configs import BigQueryTargetConfigs\n\nbigquery_target_configs = BigQueryTargetConfigs.load("BLOCK_NAME")\n```\n\nInstantiate BigQueryTargetConfigs.\n```python\nfrom prefect_dbt.cli.configs import BigQueryTargetConfigs\nfrom prefect_gcp.credentials import GcpCredentials\n\ncredentials = GcpCredentials.load("BLOCK-NAME-PLACEHOLDER")\ntarget_configs = BigQueryTargetConfigs(\n    schema="schema",  # also known as dataset\n    credentials=credentials,\n)\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:842c5dc7d4d1557eedff36982eafeda7b0803915942f72224a7f627efdbe5ff5',
      version: '0.4.1',
      capabilities: [],
      fields: {
        title: 'BigQueryTargetConfigs',
        description: 'dbt CLI target configs containing credentials and settings, specific to BigQuery.',
        type: 'object',
        properties: {
          extras: {
            title: 'Extras',
            description:
              "Extra target configs' keywords, not yet exposed in prefect-dbt, but available in dbt.",
            type: 'object',
          },
          allow_field_overrides: {
            title: 'Allow Field Overrides',
            description:
              'If enabled, fields from dbt target configs will override fields provided in extras and credentials.',
            default: false,
            type: 'boolean',
          },
          type: {
            title: 'Type',
            description: 'The type of target.',
            default: 'bigquery',
            enum: ['bigquery'],
            type: 'string',
          },
          schema: {
            title: 'Schema',
            description:
              'The schema that dbt will build objects into; in BigQuery, a schema is actually a dataset.',
            type: 'string',
          },
          threads: {
            title: 'Threads',
            description:
              'The number of threads representing the max number of paths through the graph dbt may work on at once.',
            default: 4,
            type: 'integer',
          },
          project: {
            title: 'Project',
            description: 'The project to use.',
            type: 'string',
          },
          credentials: {
            title: 'Credentials',
            description: 'The credentials to use to authenticate.',
            allOf: [
              {
                $ref: '#/definitions/GcpCredentials',
              },
            ],
          },
        },
        required: ['schema'],
        block_type_slug: 'dbt-cli-bigquery-target-configs',
        secret_fields: ['credentials.service_account_info.*'],
        block_schema_references: {
          credentials: {
            block_schema_checksum: 'sha256:f764f9c506a2bed9e5ed7cc9083d06d95f13c01c8c9a9e45bae5d9b4dc522624',
            block_type_slug: 'gcp-credentials',
          },
        },
        definitions: {
          GcpCredentials: {
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
      },
    },
  ],
};
