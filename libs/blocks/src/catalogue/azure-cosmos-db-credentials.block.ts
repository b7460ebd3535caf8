import type { BuiltInBlock } from '../built-in-block';

/** Block type `azure-cosmos-db-credentials` and the schema versions a Prefect 3.8.4 server registers for it. */
export const AZURE_COSMOS_DB_CREDENTIALS_BLOCK: BuiltInBlock = {
  type: {
    name: 'Azure Cosmos DB Credentials',
    slug: 'azure-cosmos-db-credentials',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/54e3fa7e00197a4fbd1d82ed62494cb58d08c96a-250x250.png',
    documentation_url:
      'https://prefecthq.github.io/prefect-azure/credentials/#prefect_azure.credentials.AzureCosmosDbCredentials',
    description:
      'Block used to manage Cosmos DB authentication with Azure.\nAzure authentication is handled via the `azure` module through\na connection string. This block is part of the prefect-azure collection. Install prefect-azure with `pip install prefect-azure` to use this block.',
    code_example:
      'Load stored Azure Cosmos DB credentials:\n```python\nfrom prefect_azure import AzureCosmosDbCredentials\nazure_credentials_block = AzureCosmosDbCredentials.load("BLOCK_NAME")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:2f9f6e6f6c2eb570a05113638e6237fe74f7684993a351018657211d4705a83a',
      version: '0.3.7',
      capabilities: [],
      fields: {
        title: 'AzureCosmosDbCredentials',
        description:
          'Block used to manage Cosmos DB authentication with Azure.\nAzure authentication is handled via the `azure` module through\na connection string.',
        type: 'object',
        properties: {
          connection_string: {
            title: 'Connection String',
            description: 'Includes the authorization information required.',
            type: 'string',
            writeOnly: true,
            format: 'password',
          },
        },
        required: ['connection_string'],
        block_type_slug: 'azure-cosmos-db-credentials',
        secret_fields: ['connection_string'],
        block_schema_references: {},
      },
    },
  ],
};
