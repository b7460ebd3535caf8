import type { BuiltInBlock } from '../built-in-block';

/** Block type `s3-bucket` and the schema versions a Prefect 3.8.4 server registers for it. */
export const S3_BUCKET_BLOCK: BuiltInBlock = {
  type: {
    name: 'S3 Bucket',
    slug: 's3-bucket',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/d74b16fe84ce626345adf235a47008fea2869a60-225x225.png',
    documentation_url: 'https://prefecthq.github.io/prefect-aws/s3/#prefect_aws.s3.S3Bucket',
    description:
      'Block used to store data using AWS S3 or S3-compatible object storage like MinIO. This block is part of the prefect-aws collection. Install prefect-aws with `pip install prefect-aws` to use this block.',
    code_example:
      '```python\nfrom prefect_aws.s3 import S3Bucket\n\ns3_bucket_block = S3Bucket.load("BLOCK_NAME")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:da1e638612365b12ec83b6102986cc5efe54e84b7144bd668629f6972afe748f',
      version: '0.4.14',
      capabilities: ['get-directory', 'put-directory', 'read-path', 'write-path'],
      fields: {
        title: 'S3Bucket',
        description: 'Block used to store data using AWS S3 or S3-compatible object storage like MinIO.',
        type: 'object',
        properties: {
          bucket_name: {
            title: 'Bucket Name',
            description: 'Name of your bucket.',
            type: 'string',
          },
          credentials: {
            title: 'Credentials',
            description: 'A block containing your credentials to AWS or MinIO.',
            anyOf: [
              {
                $ref: '#/definitions/MinIOCredentials',
              },
              {
                $ref: '#/definitions/AwsCredentials',
              },
            ],
          },
          bucket_folder: {
            title: 'Bucket Folder',
            description:
              'A default path to a folder within the S3 bucket to use for reading and writing objects.',
            default: '',
            type: 'string',
          },
        },
        required: ['bucket_name'],
        block_type_slug: 's3-bucket',
        secret_fields: ['credentials.minio_root_password', 'credentials.aws_secret_access_key'],
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
          AwsCredentials: {
            title: 'AwsCredentials',
            description:
              'Block used to manage authentication with AWS. AWS authentication is\nhandled via the `boto3` module. Refer to the\n[boto3 docs](https://boto3.amazonaws.com/v1/documentation/api/latest/guide/credentials.html)\nfor more info about the possible credential configurations.',
            type: 'object',
            properties: {
              aws_access_key_id: {
                title: 'AWS Access Key ID',
                description: 'A specific AWS access key ID.',
                type: 'string',
              },
              aws_secret_access_key: {
                title: 'AWS Access Key Secret',
                description: 'A specific AWS secret access key.',
                type: 'string',
                writeOnly: true,
                format: 'password',
              },
              aws_session_token: {
                title: 'AWS Session Token',
                description:
                  'The session key for your AWS account. This is only needed when you are using temporary credentials.',
                type: 'string',
              },
              profile_name: {
                title: 'Profile Name',
                description: 'The profile to use when creating your session.',
                type: 'string',
              },
              region_name: {
                title: 'Region Name',
                description: 'The AWS Region where you want to create new connections.',
                type: 'string',
              },
              aws_client_parameters: {
                title: 'AWS Client Parameters',
                description: 'Extra parameters to initialize the Client.',
                allOf: [
                  {
                    $ref: '#/definitions/AwsClientParameters',
                  },
                ],
              },
            },
            block_type_slug: 'aws-credentials',
            secret_fields: ['aws_secret_access_key'],
            block_schema_references: {},
          },
          MinIOCredentials: {
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
            block_schema_references: {},
          },
        },
        block_schema_references: {
          credentials: [
            {
              block_schema_checksum:
                'sha256:17b73297ed60f080fb235b3a5a145a6d9b28a09b3ff2d9d17810b5e2c2075ebe',
              block_type_slug: 'aws-credentials',
            },
            {
              block_schema_checksum:
                'sha256:5b4f1e5270f3a3670ff3d06b7e6e8246d54dacba976321dec42abe51c33415fb',
              block_type_slug: 'minio-credentials',
            },
          ],
        },
      },
    },
  ],
};
