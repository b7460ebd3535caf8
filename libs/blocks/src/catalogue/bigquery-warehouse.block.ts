import type { BuiltInBlock } from '../built-in-block';

/** Block type `bigquery-warehouse` and the schema versions a Prefect 3.8.4 server registers for it. */
export const BIGQUERY_WAREHOUSE_BLOCK: BuiltInBlock = {
  type: {
    name: 'BigQuery Warehouse',
    slug: 'bigquery-warehouse',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/10424e311932e31c477ac2b9ef3d53cefbaad708-250x250.png',
    documentation_url:
      'https://prefecthq.github.io/prefect-gcp/bigquery/#prefect_gcp.bigquery.BigQueryWarehouse',
    description:
      "A block for querying a database with BigQuery.\n\nUpon instantiating, a connection to BigQuery is established\nand maintained for the life of the object until the close method is called.\n\nIt is recommended to use this block as a context manager, which will automatically\nclose the connection and its cursors when the context is exited.\n\nIt is also recommended that this block is loaded and consumed within a single task\nor flow because if the block is passed across separate tasks and flows,\nthe state of the block's connection and cursor could be lost. This block is part of the prefect-gcp collection. Install prefect-gcp with `pip install prefect-gcp` to use this block.",
    code_example:
      '```python\nfrom prefect_gcp.bigquery import BigQueryWarehouse\n\nbigquery_warehouse_block = BigQueryWarehouse.load("BLOCK_NAME")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:e8495199f3b490e3b15ba1bc67a97cf04b23aa8a7cba67161291d7cbc882d025',
      version: '0.5.8',
      capabilities: [],
      fields: {
        title: 'BigQueryWarehouse',
        description:
          "A block for querying a database with BigQuery.\n\nUpon instantiating, a connection to BigQuery is established\nand maintained for the life of the object until the close method is called.\n\nIt is recommended to use this block as a context manager, which will automatically\nclose the connection and its cursors when the context is exited.\n\nIt is also recommended that this block is loaded and consumed within a single task\nor flow because if the block is passed across separate tasks and flows,\nthe state of the block's connection and cursor could be lost.",
        type: 'object',
        properties: {
          gcp_credentials: {
            $ref: '#/definitions/GcpCredentials',
          },
          fetch_size: {
            title: 'Fetch Size',
            description: 'The number of rows to fetch at a time.',
            default: 1,
            type: 'integer',
          },
        },
        required: ['gcp_credentials'],
        block_type_slug: 'bigquery-warehouse',
        secret_fields: ['gcp_credentials.service_account_info.*'],
        block_schema_references: {
          gcp_credentials: {
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
