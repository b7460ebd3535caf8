import type { BuiltInBlock } from '../built-in-block';

/** Block type `gcs-bucket` and the schema versions a Prefect 3.8.4 server registers for it. */
export const GCS_BUCKET_BLOCK: BuiltInBlock = {
  type: {
    name: 'GCS Bucket',
    slug: 'gcs-bucket',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/10424e311932e31c477ac2b9ef3d53cefbaad708-250x250.png',
    documentation_url:
      'https://prefecthq.github.io/prefect-gcp/cloud_storage/#prefect_gcp.cloud_storage.GcsBucket',
    description:
      'Block used to store data using GCP Cloud Storage Buckets.\n\nNote! `GcsBucket` in `prefect-gcp` is a unique block, separate from `GCS`\nin core Prefect. `GcsBucket` does not use `gcsfs` under the hood,\ninstead using the `google-cloud-storage` package, and offers more configuration\nand functionality. This block is part of the prefect-gcp collection. Install prefect-gcp with `pip install prefect-gcp` to use this block.',
    code_example:
      'Load stored GCP Cloud Storage Bucket:\n```python\nfrom prefect_gcp.cloud_storage import GcsBucket\ngcp_cloud_storage_bucket_block = GcsBucket.load("BLOCK_NAME")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:6f44cdbd523fb8d4029fbc504a89095d67d27439aec09d2c1871b03a1f4e14e9',
      version: '0.5.8',
      capabilities: ['get-directory', 'put-directory', 'read-path', 'write-path'],
      fields: {
        title: 'GcsBucket',
        description:
          'Block used to store data using GCP Cloud Storage Buckets.\n\nNote! `GcsBucket` in `prefect-gcp` is a unique block, separate from `GCS`\nin core Prefect. `GcsBucket` does not use `gcsfs` under the hood,\ninstead using the `google-cloud-storage` package, and offers more configuration\nand functionality.',
        type: 'object',
        properties: {
          bucket: {
            title: 'Bucket',
            description: 'Name of the bucket.',
            type: 'string',
          },
          gcp_credentials: {
            title: 'Gcp Credentials',
            description: 'The credentials to authenticate with GCP.',
            allOf: [
              {
                $ref: '#/definitions/GcpCredentials',
              },
            ],
          },
          bucket_folder: {
            title: 'Bucket Folder',
            description:
              'A default path to a folder within the GCS bucket to use for reading and writing objects.',
            default: '',
            type: 'string',
          },
        },
        required: ['bucket'],
        block_type_slug: 'gcs-bucket',
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
