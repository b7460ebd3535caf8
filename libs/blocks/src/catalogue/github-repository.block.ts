import type { BuiltInBlock } from '../built-in-block';

/** Block type `github-repository` and the schema versions a Prefect 3.8.4 server registers for it. */
export const GITHUB_REPOSITORY_BLOCK: BuiltInBlock = {
  type: {
    name: 'GitHub Repository',
    slug: 'github-repository',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/41971cfecfea5f79ff334164f06ecb34d1038dd4-250x250.png',
    documentation_url:
      'https://prefecthq.github.io/prefect-github/repository/#prefect_github.repository.GitHubRepository',
    description:
      'Interact with files stored on GitHub repositories. This block is part of the prefect-github collection. Install prefect-github with `pip install prefect-github` to use this block.',
    code_example:
      '```python\nfrom prefect_github.repository import GitHubRepository\n\ngithub_repository_block = GitHubRepository.load("BLOCK_NAME")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:3d2b2de1cd9336264ccc73f7078264d9053dc956941136516e18050c9953abf0',
      version: '0.2.2',
      capabilities: ['get-directory'],
      fields: {
        title: 'GitHubRepository',
        description: 'Interact with files stored on GitHub repositories.',
        type: 'object',
        properties: {
          repository_url: {
            title: 'Repository URL',
            description:
              'The URL of a GitHub repository to read from, in either HTTPS or SSH format. If you are using a private repo, it must be in the HTTPS format.',
            type: 'string',
          },
          reference: {
            title: 'Reference',
            description: 'An optional reference to pin to; can be a branch name or tag.',
            type: 'string',
          },
          credentials: {
            title: 'Credentials',
            description: 'An optional GitHubCredentials block for using private GitHub repos.',
            allOf: [
              {
                $ref: '#/definitions/GitHubCredentials',
              },
            ],
          },
        },
        required: ['repository_url'],
        block_type_slug: 'github-repository',
        secret_fields: ['credentials.token'],
        block_schema_references: {
          credentials: {
            block_schema_checksum: 'sha256:74a34b668838ba661d9160ab127053dd44a22dd04e89562839645791e70d046a',
            block_type_slug: 'github-credentials',
          },
        },
        definitions: {
          GitHubCredentials: {
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
      },
    },
  ],
};
