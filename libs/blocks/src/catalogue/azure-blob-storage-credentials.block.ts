import type { BuiltInBlock } from '../built-in-block';

/** Block type `azure-blob-storage-credentials` and the schema versions a Prefect 3.8.4 server registers for it. */
export const AZURE_BLOB_STORAGE_CREDENTIALS_BLOCK: BuiltInBlock = {
  type: {
    name: 'Azure Blob Storage Credentials',
    slug: 'azure-blob-storage-credentials',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/54e3fa7e00197a4fbd1d82ed62494cb58d08c96a-250x250.png',
    documentation_url:
      'https://prefecthq.github.io/prefect-azure/credentials/#prefect_azure.credentials.AzureBlobStorageCredentials',
    description:
      'Stores credentials for authenticating with Azure Blob Storage. This block is part of the prefect-azure collection. Install prefect-azure with `pip install prefect-azure` to use this block.',
    code_example:
      'Load stored Azure Blob Storage credentials and retrieve a blob service client:\n```python\nfrom prefect_azure import AzureBlobStorageCredentials\n\nazure_credentials_block = AzureBlobStorageCredentials.load("BLOCK_NAME")\n\nblob_service_client = azure_credentials_block.get_blob_client()\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:73e835b6cb9a1902fd869037fb7f8a90f974508dda7a168e748a1206e7c325eb',
      version: 'non-versioned',
      capabilities: [],
      fields: {
        title: 'AzureBlobStorageCredentials',
        description: 'Stores credentials for authenticating with Azure Blob Storage.',
        type: 'object',
        properties: {
          connection_string: {
            title: 'Connection String',
            description:
              'The connection string to your Azure storage account. If provided, the connection string will take precedence over the account URL.',
            type: 'string',
            writeOnly: true,
            format: 'password',
          },
          account_url: {
            title: 'Account URL',
            description:
              'The URL for your Azure storage account. If provided, the account URL will be used to authenticate with the discovered default Azure credentials.',
            type: 'string',
          },
        },
        block_type_slug: 'azure-blob-storage-credentials',
        secret_fields: ['connection_string'],
        block_schema_references: {},
      },
    },
    {
      checksum: 'sha256:73e835b6cb9a1902fd869037fb7f8a90f974508dda7a168e748a1206e7c325eb',
      version: '0.3.7',
      capabilities: [],
      fields: {
        title: 'AzureBlobStorageCredentials',
        description: 'Stores credentials for authenticating with Azure Blob Storage.',
        type: 'object',
        properties: {
          connection_string: {
            title: 'Connection String',
            description:
              'The connection string to your Azure storage account. If provided, the connection string will take precedence over the account URL.',
            type: 'string',
            writeOnly: true,
            format: 'password',
          },
          account_url: {
            title: 'Account URL',
            description:
              'The URL for your Azure storage account. If provided, the account URL will be used to authenticate with the discovered default Azure credentials.',
            type: 'string',
          },
        },
        block_type_slug: 'azure-blob-storage-credentials',
        secret_fields: ['connection_string'],
        block_schema_references: {},
      },
    },
  ],
};
