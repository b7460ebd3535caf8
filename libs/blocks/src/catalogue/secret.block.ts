import type { BuiltInBlock } from '../built-in-block';

/** Block type `secret` and the schema versions a Prefect 3.8.4 server registers for it. */
export const SECRET_BLOCK: BuiltInBlock = {
  type: {
    name: 'Secret',
    slug: 'secret',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/c6f20e556dd16effda9df16551feecfb5822092b-48x48.png',
    documentation_url: 'https://docs.prefect.io/latest/develop/blocks',
    description:
      'A block that represents a secret value. The value stored in this block will be obfuscated when this block is viewed or edited in the UI.',
    code_example:
      '```python\nfrom prefect.blocks.system import Secret\n\nSecret(value="sk-1234567890").save("BLOCK_NAME", overwrite=True)\n\nsecret_block = Secret.load("BLOCK_NAME")\n\n# Access the stored secret\nsecret_block.get()\n```',
    is_protected: true,
  },
  schemas: [
    {
      checksum: 'sha256:c078ed9c1e813e224c0b353d7ad4564a11d51d3198d9ac0686478165a1911c78',
      version: '3.8.4',
      capabilities: [],
      fields: {
        block_type_slug: 'secret',
        description:
          'A block that represents a secret value. The value stored in this block will be obfuscated when this block is viewed or edited in the UI.',
        properties: {
          value: {
            anyOf: [
              {
                format: 'password',
                type: 'string',
                writeOnly: true,
              },
              {
                title: 'string',
                type: 'string',
              },
              {
                $ref: '#/definitions/JsonValue',
                title: 'JSON',
              },
            ],
            description: 'A value that should be kept secret.',
            examples: [
              'sk-1234567890',
              {
                password: 's3cr3t',
                username: 'johndoe',
              },
            ],
            format: 'password',
            title: 'Value',
            writeOnly: true,
            position: 0,
          },
        },
        required: ['value'],
        secret_fields: ['value', 'value'],
        title: 'Secret',
        type: 'object',
        block_schema_references: {},
      },
    },
  ],
};
