import type { BuiltInBlock } from '../built-in-block';

/** Block type `azure-blob-storage-container` and the schema versions a Prefect 3.8.4 server registers for it. */
export const AZURE_BLOB_STORAGE_CONTAINER_BLOCK: BuiltInBlock = {
  type: {
    name: 'Azure Blob Storage Container',
    slug: 'azure-blob-storage-container',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/54e3fa7e00197a4fbd1d82ed62494cb58d08c96a-250x250.png',
    documentation_url:
      'https://prefecthq.github.io/prefect-azure/blob_storage/#prefect_azure.blob_storabe.AzureBlobStorageContainer',
    description:
      'Represents a container in Azure Blob Storage.\n\nThis class provides methods for downloading and uploading files and folders\nto and from the Azure Blob Storage container. This block is part of the prefect-azure collection. Install prefect-azure with `pip install prefect-azure` to use this block.',
    code_example:
      '```python\nfrom prefect_azure.blob_storage import AzureBlobStorageContainer\n\nazure_blob_storage_container_block = AzureBlobStorageContainer.load("BLOCK_NAME")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:dcb604fba31292177868c0998110c7b4c0ba0b5601ee39679b2936adfd836f19',
      version: '0.3.7',
      capabilities: ['get-directory', 'put-directory', 'read-path', 'write-path'],
      fields: {
        title: 'AzureBlobStorageContainer',
        description:
          'Represents a container in Azure Blob Storage.\n\nThis class provides methods for downloading and uploading files and folders\nto and from the Azure Blob Storage container.',
        type: 'object',
        properties: {
          container_name: {
            title: 'Container Name',
            description: 'The name of a Azure Blob Storage container.',
            type: 'string',
          },
          credentials: {
            title: 'Credentials',
            description: 'The credentials to use for authentication with Azure.',
            allOf: [
              {
                $ref: '#/definitions/AzureBlobStorageCredentials',
              },
            ],
          },
          base_folder: {
            title: 'Base Folder',
            description:
              'A base path to a folder within the container to use for reading and writing objects.',
            type: 'string',
          },
        },
        required: ['container_name'],
        block_type_slug: 'azure-blob-storage-container',
        secret_fields: ['credentials.connection_string'],
        block_schema_references: {
          credentials: {
            block_schema_checksum: 'sha256:73e835b6cb9a1902fd869037fb7f8a90f974508dda7a168e748a1206e7c325eb',
            block_type_slug: 'azure-blob-storage-credentials',
          },
        },
        definitions: {
          AzureBlobStorageCredentials: {
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
      },
    },
  ],
};
