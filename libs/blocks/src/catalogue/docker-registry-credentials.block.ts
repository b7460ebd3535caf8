import type { BuiltInBlock } from '../built-in-block';

/** Block type `docker-registry-credentials` and the schema versions a Prefect 3.8.4 server registers for it. */
export const DOCKER_REGISTRY_CREDENTIALS_BLOCK: BuiltInBlock = {
  type: {
    name: 'Docker Registry Credentials',
    slug: 'docker-registry-credentials',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/14a315b79990200db7341e42553e23650b34bb96-250x250.png',
    documentation_url: null,
    description:
      'Store credentials for interacting with a Docker Registry. This block is part of the prefect-docker collection. Install prefect-docker with `pip install prefect-docker` to use this block.',
    code_example:
      'Log into Docker Registry.\n```python\nfrom prefect_docker import DockerHost, DockerRegistryCredentials\n\ndocker_host = DockerHost()\ndocker_registry_credentials = DockerRegistryCredentials(\n    username="my_username",\n    password="my_password",\n    registry_url="registry.hub.docker.com",\n)\nwith docker_host.get_client() as client:\n    docker_registry_credentials.login(client)\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:d5cbcfdf092e1f904ea26c274fcd0f23d86ecbbd0afae0f254f575ac3e40915d',
      version: '0.4.5',
      capabilities: [],
      fields: {
        title: 'DockerRegistryCredentials',
        description: 'Store credentials for interacting with a Docker Registry.',
        type: 'object',
        properties: {
          username: {
            title: 'Username',
            description: 'The username to log into the registry with.',
            type: 'string',
          },
          password: {
            title: 'Password',
            description: 'The password to log into the registry with.',
            type: 'string',
            writeOnly: true,
            format: 'password',
          },
          registry_url: {
            title: 'Registry Url',
            description: 'The URL to the registry. Generally, "http" or "https" can be omitted.',
            example: 'index.docker.io',
            type: 'string',
          },
          reauth: {
            title: 'Reauth',
            description: 'Whether or not to reauthenticate on each interaction.',
            default: true,
            type: 'boolean',
          },
        },
        required: ['username', 'password', 'registry_url'],
        block_type_slug: 'docker-registry-credentials',
        secret_fields: ['password'],
        block_schema_references: {},
      },
    },
  ],
};
