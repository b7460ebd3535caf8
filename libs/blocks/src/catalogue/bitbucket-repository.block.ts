import type { BuiltInBlock } from '../built-in-block';

/** Block type `bitbucket-repository` and the schema versions a Prefect 3.8.4 server registers for it. */
export const BITBUCKET_REPOSITORY_BLOCK: BuiltInBlock = {
  type: {
    name: 'BitBucket Repository',
    slug: 'bitbucket-repository',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/5d729f7355fb6828c4b605268ded9cfafab3ae4f-250x250.png',
    documentation_url: null,
    description:
      'Interact with files stored in BitBucket repositories. This block is part of the prefect-bitbucket collection. Install prefect-bitbucket with `pip install prefect-bitbucket` to use this block.',
    code_example:
      '```python\nfrom prefect_bitbucket.repository import BitBucketRepository\n\nbitbucket_repository_block = BitBucketRepository.load("BLOCK_NAME")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:b159a8f21358b694f13fb67b73f20bf3f8b74138940fc0f16ab08107e78d5237',
      version: '0.2.2',
      capabilities: ['get-directory'],
      fields: {
        title: 'BitBucketRepository',
        description: 'Interact with files stored in BitBucket repositories.',
        type: 'object',
        properties: {
          repository: {
            title: 'Repository',
            description: 'The URL of a BitBucket repository to read from in HTTPS format',
            type: 'string',
          },
          reference: {
            title: 'Reference',
            description: 'An optional reference to pin to; can be a branch or tag.',
            type: 'string',
          },
          bitbucket_credentials: {
            title: 'Bitbucket Credentials',
            description:
              'An optional BitBucketCredentials block for authenticating with private BitBucket repos.',
            allOf: [
              {
                $ref: '#/definitions/BitBucketCredentials',
              },
            ],
          },
        },
        required: ['repository'],
        block_type_slug: 'bitbucket-repository',
        secret_fields: ['bitbucket_credentials.token', 'bitbucket_credentials.password'],
        block_schema_references: {
          bitbucket_credentials: {
            block_schema_checksum: 'sha256:ef96bdc56cde651f152e3f8938018d53d725b25b5ae98777872c0962250ba0fc',
            block_type_slug: 'bitbucket-credentials',
          },
        },
        definitions: {
          BitBucketCredentials: {
            title: 'BitBucketCredentials',
            description: 'Store BitBucket credentials to interact with private BitBucket repositories.',
            type: 'object',
            properties: {
              token: {
                title: 'Token',
                description: 'A BitBucket Personal Access Token - required for private repositories.',
                name: 'Personal Access Token',
                example: 'x-token-auth:my-token',
                type: 'string',
                writeOnly: true,
                format: 'password',
              },
              username: {
                title: 'Username',
                description: 'Identification name unique across entire BitBucket site.',
                type: 'string',
              },
              password: {
                title: 'Password',
                description: 'The password to authenticate to BitBucket.',
                type: 'string',
                writeOnly: true,
                format: 'password',
              },
              url: {
                title: 'URL',
                description: 'The base URL of your BitBucket instance.',
                default: 'https://api.bitbucket.org/',
                type: 'string',
              },
            },
            block_type_slug: 'bitbucket-credentials',
            secret_fields: ['token', 'password'],
            block_schema_references: {},
          },
        },
      },
    },
  ],
};
