import type { BuiltInBlock } from '../built-in-block';

/** Block type `minio-credentials` and the schema versions a Prefect 3.8.4 server registers for it. */
export const MINIO_CREDENTIALS_BLOCK: BuiltInBlock = {
  type: {
    name: 'MinIO Credentials',
    slug: 'minio-credentials',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/676cb17bcbdff601f97e0a02ff8bcb480e91ff40-250x250.png',
    documentation_url:
      'https://prefecthq.github.io/prefect-aws/credentials/#prefect_aws.credentials.MinIOCredentials',
    description:
      'Block used to manage authentication with MinIO. Refer to the MinIO docs: https://docs.min.io/docs/minio-server-configuration-guide.html for more info about the possible credential configurations. This block is part of the prefect-aws collection. Install prefect-aws with `pip install prefect-aws` to use this block.',
    code_example:
      'Load stored MinIO credentials:\n```python\nfrom prefect_aws import MinIOCredentials\n\nminio_credentials_block = MinIOCredentials.load("BLOCK_NAME")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:5b4f1e5270f3a3670ff3d06b7e6e8246d54dacba976321dec42abe51c33415fb',
      version: '0.4.14',
      capabilities: [],
      fields: {
        title: 'MinIOCredentials',
        description:
          'Block used to manage authentication with MinIO. Refer to the MinIO docs: https://docs.min.io/docs/minio-server-configuration-guide.html for more info about the possible credential configurations.',
        type: 'object',
        properties: {
          minio_root_user: {
            title: 'Minio Root User',
            description: 'Admin or root user.',
            type: 'string',
          },
          minio_root_password: {
            title: 'Minio Root Password',
            description: 'Admin or root password.',
            type: 'string',
            writeOnly: true,
            format: 'password',
          },
          region_name: {
            title: 'Region Name',
            description: 'The AWS Region where you want to create new connections.',
            type: 'string',
          },
          aws_client_parameters: {
            title: 'Aws Client Parameters',
            description: 'Extra parameters to initialize the Client.',
            allOf: [
              {
                $ref: '#/definitions/AwsClientParameters',
              },
            ],
          },
        },
        required: ['minio_root_user', 'minio_root_password'],
        block_type_slug: 'minio-credentials',
        secret_fields: ['minio_root_password'],
        definitions: {
          AwsClientParameters: {
            title: 'AwsClientParameters',
            description:
              'Model used to manage extra parameters that you can pass when you initialize\nthe Client. If you want to find more information, see\n[boto3 docs](https://boto3.amazonaws.com/v1/documentation/api/latest/reference/core/session.html)\nfor more info about the possible client configurations.\n\nAttributes:\n    api_version: The API version to use. By default, botocore will\n        use the latest API version when creating a client. You only need\n        to specify this parameter if you want to use a previous API version\n        of the client.\n    use_ssl: Whether or not to use SSL. By default, SSL is used.\n        Note that not all services support non-ssl connections.\n    verify: Whether or not to verify SSL certificates. By default\n        SSL certificates are verified. If False, SSL will still be used\n        (unless use_ssl is False), but SSL certificates\n        will not be verified. Passing a file path to this is deprecated.\n    verify_cert_path: A filename of the CA cert bundle to\n        use. You can specify this argument if you want to use a\n        different CA cert bundle than the one used by botocore.\n    endpoint_url: The complete URL to use for the constructed\n        client. Normally, botocore will automatically construct the\n        appropriate URL to use when communicating with a service. You\n        can specify a complete URL (including the "http/https" scheme)\n        to override this behavior. If this value is provided,\n        then ``use_ssl`` is ignored.\n    config: Advanced configuration for Botocore clients. See\n        [botocore docs](https://botocore.amazonaws.com/v1/documentation/api/latest/reference/config.html)\n        for more details.',
            type: 'object',
            properties: {
              api_version: {
                title: 'API Version',
                description: 'The API version to use.',
                type: 'string',
              },
              use_ssl: {
                title: 'Use SSL',
                description: 'Whether or not to use SSL.',
                default: true,
                type: 'boolean',
              },
              verify: {
                title: 'Verify',
                description: 'Whether or not to verify SSL certificates.',
                default: true,
                anyOf: [
                  {
                    type: 'boolean',
                  },
                  {
                    type: 'string',
                    format: 'file-path',
                  },
                ],
              },
              verify_cert_path: {
                title: 'Certificate Authority Bundle File Path',
                description: 'Path to the CA cert bundle to use.',
                format: 'file-path',
                type: 'string',
              },
              endpoint_url: {
                title: 'Endpoint URL',
                description: 'The complete URL to use for the constructed client.',
                type: 'string',
              },
              config: {
                title: 'Botocore Config',
                description: 'Advanced configuration for Botocore clients.',
                type: 'object',
              },
            },
          },
        },
        block_schema_references: {},
      },
    },
  ],
};
