import type { BuiltInBlock } from '../built-in-block';

/** Block type `databricks-credentials` and the schema versions a Prefect 3.8.4 server registers for it. */
export const DATABRICKS_CREDENTIALS_BLOCK: BuiltInBlock = {
  type: {
    name: 'Databricks Credentials',
    slug: 'databricks-credentials',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/ff9a2573c23954bedd27b0f420465a55b1a99dfd-250x250.png',
    documentation_url:
      'https://prefecthq.github.io/prefect-databricks/credentials/#prefect_databricks.credentials.DatabricksCredentials',
    description:
      'Block used to manage Databricks authentication. This block is part of the prefect-databricks collection. Install prefect-databricks with `pip install prefect-databricks` to use this block.',
    code_example:
      'Load stored Databricks credentials:\n```python\nfrom prefect_databricks import DatabricksCredentials\ndatabricks_credentials_block = DatabricksCredentials.load("BLOCK_NAME")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:58bae1446ee7a01ec90d15cf756f8acc221329e3b3580b077b508ff0f2425e35',
      version: '0.2.3',
      capabilities: [],
      fields: {
        title: 'DatabricksCredentials',
        description: 'Block used to manage Databricks authentication.',
        type: 'object',
        properties: {
          databricks_instance: {
            title: 'Databricks Instance',
            description: 'Databricks instance used in formatting the endpoint URL.',
            type: 'string',
          },
          token: {
            title: 'Token',
            description: 'The token to authenticate with Databricks.',
            type: 'string',
            writeOnly: true,
            format: 'password',
          },
          client_kwargs: {
            title: 'Client Kwargs',
            description: 'Additional keyword arguments to pass to AsyncClient.',
            type: 'object',
          },
        },
        required: ['databricks_instance', 'token'],
        block_type_slug: 'databricks-credentials',
        secret_fields: ['token'],
        block_schema_references: {},
      },
    },
  ],
};
