import type { BuiltInBlock } from '../built-in-block';

/** Block type `github-credentials` and the schema versions a Prefect 3.8.4 server registers for it. */
export const GITHUB_CREDENTIALS_BLOCK: BuiltInBlock = {
  type: {
    name: 'GitHub Credentials',
    slug: 'github-credentials',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/41971cfecfea5f79ff334164f06ecb34d1038dd4-250x250.png',
    documentation_url:
      'https://prefecthq.github.io/prefect-github/credentials/#prefect_github.credentials.GitHubCredentials',
    description:
      'Block used to manage GitHub authentication. This block is part of the prefect-github collection. Install prefect-github with `pip install prefect-github` to use this block.',
    code_example:
      'Load stored GitHub credentials:\n```python\nfrom prefect_github import GitHubCredentials\ngithub_credentials_block = GitHubCredentials.load("BLOCK_NAME")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:74a34b668838ba661d9160ab127053dd44a22dd04e89562839645791e70d046a',
      version: '0.2.2',
      capabilities: [],
      fields: {
        title: 'GitHubCredentials',
        description: 'Block used to manage GitHub authentication.',
        type: 'object',
        properties: {
          token: {
            title: 'Token',
            description: 'A GitHub personal access token (PAT).',
            type: 'string',
            writeOnly: true,
            format: 'password',
          },
        },
        block_type_slug: 'github-credentials',
        secret_fields: ['token'],
        block_schema_references: {},
      },
    },
  ],
};
