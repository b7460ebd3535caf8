import type { BuiltInBlock } from '../built-in-block';

/** Block type `kubernetes-credentials` and the schema versions a Prefect 3.8.4 server registers for it. */
export const KUBERNETES_CREDENTIALS_BLOCK: BuiltInBlock = {
  type: {
    name: 'Kubernetes Credentials',
    slug: 'kubernetes-credentials',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/2d0b896006ad463b49c28aaac14f31e00e32cfab-250x250.png',
    documentation_url:
      'https://prefecthq.github.io/prefect-kubernetes/credentials/#prefect_kubernetes.credentials.KubernetesCredentials',
    description:
      'Credentials block for generating configured Kubernetes API clients. This block is part of the prefect-kubernetes collection. Install prefect-kubernetes with `pip install prefect-kubernetes` to use this block.',
    code_example:
      'Load stored Kubernetes credentials:\n```python\nfrom prefect_kubernetes.credentials import KubernetesCredentials\n\nkubernetes_credentials = KubernetesCredentials.load("BLOCK_NAME")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:957fa8dca90bd1b5fb9c575ee09e80b454116c0b134287fbc2eff47a72564c3b',
      version: '0.3.7',
      capabilities: [],
      fields: {
        title: 'KubernetesCredentials',
        description: 'Credentials block for generating configured Kubernetes API clients.',
        type: 'object',
        properties: {
          cluster_config: {
            $ref: '#/definitions/KubernetesClusterConfig',
          },
        },
        block_type_slug: 'kubernetes-credentials',
        secret_fields: [],
        block_schema_references: {
          cluster_config: {
            block_schema_checksum: 'sha256:90d421e948bfbe4cdc98b124995f0edd0f84b0837549ad1390423bad8e31cf3b',
            block_type_slug: 'kubernetes-cluster-config',
          },
        },
        definitions: {
          KubernetesClusterConfig: {
            title: 'KubernetesClusterConfig',
            description:
              'Stores configuration for interaction with Kubernetes clusters.\n\nSee `from_file` for creation.',
            type: 'object',
            properties: {
              config: {
                title: 'Config',
                description: 'The entire contents of a kubectl config file.',
                type: 'object',
              },
              context_name: {
                title: 'Context Name',
                description: 'The name of the kubectl context to use.',
                type: 'string',
              },
            },
            required: ['config', 'context_name'],
            block_type_slug: 'kubernetes-cluster-config',
            secret_fields: [],
            block_schema_references: {},
          },
        },
      },
    },
  ],
};
