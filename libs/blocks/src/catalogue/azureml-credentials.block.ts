import type { BuiltInBlock } from '../built-in-block';

/** Block type `azureml-credentials` and the schema versions a Prefect 3.8.4 server registers for it. */
export const AZUREML_CREDENTIALS_BLOCK: BuiltInBlock = {
  type: {
    name: 'AzureML Credentials',
    slug: 'azureml-credentials',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/54e3fa7e00197a4fbd1d82ed62494cb58d08c96a-250x250.png',
    documentation_url:
      'https://prefecthq.github.io/prefect-azure/credentials/#prefect_azure.credentials.AzureMlCredentials',
    description:
      'Block used to manage authentication with AzureML. Azure authentication is\nhandled via the `azure` module. This block is part of the prefect-azure collection. Install prefect-azure with `pip install prefect-azure` to use this block.',
    code_example:
      'Load stored AzureML credentials:\n```python\nfrom prefect_azure import AzureMlCredentials\nazure_ml_credentials_block = AzureMlCredentials.load("BLOCK_NAME")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:11338ccb5cd90992ac378f9b7a73cbf1942fae58343ac2026b3718ed688b52e6',
      version: '0.3.7',
      capabilities: [],
      fields: {
        title: 'AzureMlCredentials',
        description:
          'Block used to manage authentication with AzureML. Azure authentication is\nhandled via the `azure` module.',
        type: 'object',
        properties: {
          tenant_id: {
            title: 'Tenant Id',
            description: 'The active directory tenant that the service identity belongs to.',
            type: 'string',
          },
          service_principal_id: {
            title: 'Service Principal Id',
            description: 'The service principal ID.',
            type: 'string',
          },
          service_principal_password: {
            title: 'Service Principal Password',
            description: 'The service principal password/key.',
            type: 'string',
            writeOnly: true,
            format: 'password',
          },
          subscription_id: {
            title: 'Subscription Id',
            description:
              "The Azure subscription ID containing the workspace, in format: '00000000-0000-0000-0000-000000000000'.",
            type: 'string',
          },
          resource_group: {
            title: 'Resource Group',
            description: 'The resource group containing the workspace.',
            type: 'string',
          },
          workspace_name: {
            title: 'Workspace Name',
            description: 'The existing workspace name.',
            type: 'string',
          },
        },
        required: [
          'tenant_id',
          'service_principal_id',
          'service_principal_password',
          'subscription_id',
          'resource_group',
          'workspace_name',
        ],
        block_type_slug: 'azureml-credentials',
        secret_fields: ['service_principal_password'],
        block_schema_references: {},
      },
    },
  ],
};
