import type { BuiltInBlock } from '../built-in-block';

/** Block type `gitlab-repository` and the schema versions a Prefect 3.8.4 server registers for it. */
export const GITLAB_REPOSITORY_BLOCK: BuiltInBlock = {
  type: {
    name: 'GitLab Repository',
    slug: 'gitlab-repository',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/a5db0f07a1bb4390f0e1cda9f7ef9091d89633b9-250x250.png',
    documentation_url: null,
    description:
      'Interact with files stored in GitLab repositories. This block is part of the prefect-gitlab collection. Install prefect-gitlab with `pip install prefect-gitlab` to use this block.',
    code_example:
      '```python\nfrom prefect_gitlab.repositories import GitLabRepository\n\ngitlab_repository_block = GitLabRepository.load("BLOCK_NAME")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:ac874a97e2ff2403a4b63181b6ae85dd51b4a0df0337d290d922627f5123af44',
      version: '0.2.2',
      capabilities: ['get-directory'],
      fields: {
        title: 'GitLabRepository',
        description: 'Interact with files stored in GitLab repositories.',
        type: 'object',
        properties: {
          repository: {
            title: 'Repository',
            description: 'The URL of a GitLab repository to read from, in either HTTP/HTTPS or SSH format.',
            type: 'string',
          },
          reference: {
            title: 'Reference',
            description: 'An optional reference to pin to; can be a branch name or tag.',
            type: 'string',
          },
          credentials: {
            title: 'Credentials',
            description: 'An optional GitLab Credentials block for authenticating with private GitLab repos.',
            allOf: [
              {
                $ref: '#/definitions/GitLabCredentials',
              },
            ],
          },
        },
        required: ['repository'],
        block_type_slug: 'gitlab-repository',
        secret_fields: ['credentials.token'],
        block_schema_references: {
          credentials: {
            block_schema_checksum: 'sha256:7d8d6317127bc66afe9e97ae5658ee8e1decdc598350eb292fb62be379f0246c',
            block_type_slug: 'gitlab-credentials',
          },
        },
        definitions: {
          GitLabCredentials: {
            title: 'GitLabCredentials',
            description:
              'Store a GitLab personal access token to interact with private GitLab\nrepositories.',
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
      },
    },
  ],
};
