import type { BuiltInBlock } from '../built-in-block';

/** Block type `docker-host` and the schema versions a Prefect 3.8.4 server registers for it. */
export const DOCKER_HOST_BLOCK: BuiltInBlock = {
  type: {
    name: 'Docker Host',
    slug: 'docker-host',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/14a315b79990200db7341e42553e23650b34bb96-250x250.png',
    documentation_url: null,
    description:
      'Store settings for interacting with a Docker host. This block is part of the prefect-docker collection. Install prefect-docker with `pip install prefect-docker` to use this block.',
    code_example:
      'Get a Docker Host client.\n```python\nfrom prefect_docker import DockerHost\n\ndocker_host = DockerHost(\nbase_url="tcp://127.0.0.1:1234",\n    max_pool_size=4\n)\nwith docker_host.get_client() as client:\n    ... # Use the client for Docker operations\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:bf0961e9f2d88fd81bca2c7b78c025bd289776ad84ae8ef22d8f3db8b9561478',
      version: '0.4.5',
      capabilities: [],
      fields: {
        title: 'DockerHost',
        description: 'Store settings for interacting with a Docker host.',
        type: 'object',
        properties: {
          base_url: {
            title: 'Base URL',
            description: 'URL to the Docker host.',
            example: 'unix:///var/run/docker.sock',
            type: 'string',
          },
          version: {
            title: 'Version',
            description: 'The version of the API to use',
            default: 'auto',
            type: 'string',
          },
          timeout: {
            title: 'Timeout',
            description: 'Default timeout for API calls, in seconds.',
            type: 'integer',
          },
          max_pool_size: {
            title: 'Max Pool Size',
            description: 'The maximum number of connections to save in the pool.',
            type: 'integer',
          },
          client_kwargs: {
            title: 'Additional Configuration',
            description: 'Additional keyword arguments to pass to `docker.from_env()` or `DockerClient`.',
            type: 'object',
          },
        },
        block_type_slug: 'docker-host',
        secret_fields: [],
        block_schema_references: {},
      },
    },
  ],
};
