import type { BuiltInBlock } from '../built-in-block';

/** Block type `gitlab-credentials` and the schema versions a Prefect 3.8.4 server registers for it. */
export const GITLAB_CREDENTIALS_BLOCK: BuiltInBlock = {
  type: {
    name: 'GitLab Credentials',
    slug: 'gitlab-credentials',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/a5db0f07a1bb4390f0e1cda9f7ef9091d89633b9-250x250.png',
    documentation_url: null,
    description:
      'Store a GitLab personal access token to interact with private GitLab\nrepositories. This block is part of the prefect-gitlab collection. Install prefect-gitlab with `pip install prefect-gitlab` to use this block.',
    code_example:
      'Load stored GitLab credentials:\n```python\nfrom prefect_gitlab import GitLabCredentials\ngitlab_credentials_block = GitLabCredentials.load("BLOCK_NAME")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:7d8d6317127bc66afe9e97ae5658ee8e1decdc598350eb292fb62be379f0246c',
      version: '0.2.2',
      capabilities: [],
      fields: {
        title: 'GitLabCredentials',
        description: 'Store a GitLab personal access token to interact with private GitLab\nrepositories.',
        type: 'object',
        properties: {
          token: {
            title: 'Token',
            description: 'A GitLab Personal Access Token with read_repository scope.',
            name: 'Personal Access Token',
            type: 'string',
            writeOnly: true,
            format: 'password',
          },
          url: {
            title: 'URL',
            description: 'URL to self-hosted GitLab instances.',
            type: 'string',
          },
        },
        block_type_slug: 'gitlab-credentials',
        secret_fields: ['token'],
        block_schema_references: {},
      },
    },
  ],
};
