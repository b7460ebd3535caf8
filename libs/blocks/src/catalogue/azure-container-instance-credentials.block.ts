import type { BuiltInBlock } from '../built-in-block';

/** Block type `azure-container-instance-credentials` and the schema versions a Prefect 3.8.4 server registers for it. */
export const AZURE_CONTAINER_INSTANCE_CREDENTIALS_BLOCK: BuiltInBlock = {
  type: {
    name: 'Azure Container Instance Credentials',
    slug: 'azure-container-instance-credentials',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/54e3fa7e00197a4fbd1d82ed62494cb58d08c96a-250x250.png',
    documentation_url:
      'https://prefecthq.github.io/prefect-azure/credentials/#prefect_azure.credentials.AzureContainerInstanceCredentials',
    description:
      'Block used to manage Azure Container Instances authentication. Stores Azure Service\nPrincipal authentication data. This block is part of the prefect-azure collection. Install prefect-azure with `pip install prefect-azure` to use this block.',
    code_example:
      '```python\nfrom prefect_azure.credentials import AzureContainerInstanceCredentials\n\nazure_container_instance_credentials_block = AzureContainerInstanceCredentials.load("BLOCK_NAME")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:17a9122f9f345a4547128cc05f7ff7146da9a72c4bac2850004fcc6c8d9be2d1',
      version: '0.3.7',
      capabilities: [],
      fields: {
        title: 'AzureContainerInstanceCredentials',
        description:
          'Block used to manage Azure Container Instances authentication. Stores Azure Service\nPrincipal authentication data.',
        type: 'object',
        properties: {
          client_id: {
            title: 'Client ID',
            description:
              'The service principal client ID. If none of client_id, tenant_id, and client_secret are provided, will use DefaultAzureCredential; else will need to provide all three to use ClientSecretCredential.',
            type: 'string',
          },
          tenant_id: {
            title: 'Tenant ID',
            description:
              'The service principal tenant ID.If none of client_id, tenant_id, and client_secret are provided, will use DefaultAzureCredential; else will need to provide all three to use ClientSecretCredential.',
            type: 'string',
          },
          client_secret: {
            title: 'Client Secret',
            description:
              'The service principal client secret.If none of client_id, tenant_id, and client_secret are provided, will use DefaultAzureCredential; else will need to provide all three to use ClientSecretCredential.',
            type: 'string',
            writeOnly: true,
            format: 'password',
          },
          credential_kwargs: {
            title: 'Additional Credential Keyword Arguments',
            description:
              'Additional keyword arguments to pass to `ClientSecretCredential` or `DefaultAzureCredential`.',
            type: 'object',
          },
        },
        block_type_slug: 'azure-container-instance-credentials',
        secret_fields: ['client_secret'],
        block_schema_references: {},
      },
    },
  ],
};
