import type { BuiltInBlock } from '../built-in-block';

/** Block type `bitbucket-credentials` and the schema versions a Prefect 3.8.4 server registers for it. */
export const BITBUCKET_CREDENTIALS_BLOCK: BuiltInBlock = {
  type: {
    name: 'BitBucket Credentials',
    slug: 'bitbucket-credentials',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/5d729f7355fb6828c4b605268ded9cfafab3ae4f-250x250.png',
    documentation_url: null,
    description:
      'Store BitBucket credentials to interact with private BitBucket repositories. This block is part of the prefect-bitbucket collection. Install prefect-bitbucket with `pip install prefect-bitbucket` to use this block.',
    code_example:
      'Load stored BitBucket credentials:\n```python\nfrom prefect_bitbucket import BitBucketCredentials\nbitbucket_credentials_block = BitBucketCredentials.load("BLOCK_NAME")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:ef96bdc56cde651f152e3f8938018d53d725b25b5ae98777872c0962250ba0fc',
      version: '0.2.2',
      capabilities: [],
      fields: {
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
  ],
};
