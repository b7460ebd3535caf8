import type { BuiltInBlock } from '../built-in-block';

/** Block type `dbt-cloud-credentials` and the schema versions a Prefect 3.8.4 server registers for it. */
export const DBT_CLOUD_CREDENTIALS_BLOCK: BuiltInBlock = {
  type: {
    name: 'dbt Cloud Credentials',
    slug: 'dbt-cloud-credentials',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/1f4742f3473da5a9fc873430a803bb739e5e48a6-400x400.png',
    documentation_url:
      'https://prefecthq.github.io/prefect-dbt/cloud/credentials/#prefect_dbt.cloud.credentials.DbtCloudCredentials',
    description:
      'Credentials block for credential use across dbt Cloud tasks and flows. This block is part of the prefect-dbt collection. Install prefect-dbt with `pip install prefect-dbt` to use this block.',
    code_example:
      'Load stored dbt Cloud credentials:\n```python\nfrom prefect_dbt.cloud import DbtCloudCredentials\n\ndbt_cloud_credentials = DbtCloudCredentials.load("BLOCK_NAME")\n```\n\nUse DbtCloudCredentials instance to trigger a job run:\n```python\nfrom prefect_dbt.cloud import DbtCloudCredentials\n\ncredentials = DbtCloudCredentials(api_key="my_api_key", account_id=123456789)\n\nasync with dbt_cloud_credentials.get_administrative_client() as client:\n    client.trigger_job_run(job_id=1)\n```\n\nLoad saved dbt Cloud credentials within a flow:\n```python\nfrom prefect import flow\n\nfrom prefect_dbt.cloud import DbtCloudCredentials\nfrom prefect_dbt.cloud.jobs import trigger_dbt_cloud_job_run\n\n\n@flow\ndef trigger_dbt_cloud_job_run_flow():\n    credentials = DbtCloudCredentials.load("my-dbt-credentials")\n    trigger_dbt_cloud_job_run(dbt_cloud_credentials=credentials, job_id=1)\n\ntrigger_dbt_cloud_job_run_flow()\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:0e1b2e94e09041e7d732822354503e87b99ddb31422d9d2c83c671be249aa231',
      version: '0.4.1',
      capabilities: [],
      fields: {
        title: 'DbtCloudCredentials',
        description: 'Credentials block for credential use across dbt Cloud tasks and flows.',
        type: 'object',
        properties: {
          api_key: {
            title: 'API Key',
            description: 'A dbt Cloud API key to use for authentication.',
            type: 'string',
            writeOnly: true,
            format: 'password',
          },
          account_id: {
            title: 'Account ID',
            description: 'The ID of your dbt Cloud account.',
            type: 'integer',
          },
          domain: {
            title: 'Domain',
            description: 'The base domain of your dbt Cloud instance.',
            default: 'cloud.getdbt.com',
            type: 'string',
          },
        },
        required: ['api_key', 'account_id'],
        block_type_slug: 'dbt-cloud-credentials',
        secret_fields: ['api_key'],
        block_schema_references: {},
      },
    },
  ],
};
