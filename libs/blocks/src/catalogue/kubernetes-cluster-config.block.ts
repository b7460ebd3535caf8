import type { BuiltInBlock } from '../built-in-block';

/** Block type `kubernetes-cluster-config` and the schema versions a Prefect 3.8.4 server registers for it. */
export const KUBERNETES_CLUSTER_CONFIG_BLOCK: BuiltInBlock = {
  type: {
    name: 'Kubernetes Cluster Config',
    slug: 'kubernetes-cluster-config',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/2d0b896006ad463b49c28aaac14f31e00e32cfab-250x250.png',
    documentation_url:
      'https://docs.prefect.io/api-ref/prefect/blocks/kubernetes/#prefect.blocks.kubernetes.KubernetesClusterConfig',
    description:
      'Stores configuration for interaction with Kubernetes clusters.\n\nSee `from_file` for creation.',
    code_example:
      'Load a saved Kubernetes cluster config:\n```python\nfrom prefect.blocks.kubernetes import KubernetesClusterConfig\n\ncluster_config_block = KubernetesClusterConfig.load("BLOCK_NAME")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:90d421e948bfbe4cdc98b124995f0edd0f84b0837549ad1390423bad8e31cf3b',
      version: '0.4.0',
      capabilities: [],
      fields: {
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
  ],
};
