import type { BuiltInBlock } from '../built-in-block';

/** Block type `smb` and the schema versions a Prefect 3.8.4 server registers for it. */
export const SMB_BLOCK: BuiltInBlock = {
  type: {
    name: 'SMB',
    slug: 'smb',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/3f624663f7beb97d011d011bffd51ecf6c499efc-195x195.png',
    documentation_url: 'https://docs.prefect.io/latest/develop/results#specifying-a-default-filesystem',
    description: 'Store data as a file on a SMB share.',
    code_example:
      'Load stored SMB config:\n\n```python\nfrom prefect.filesystems import SMB\nsmb_block = SMB.load("BLOCK_NAME")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:849cd014b777a64ee219f6b8b13c15b37c34ea4138d9224c4d45bf00ba2e4681',
      version: '3.8.4',
      capabilities: ['write-path', 'get-directory', 'read-path', 'put-directory'],
      fields: {
        block_type_slug: 'smb',
        description: 'Store data as a file on a SMB share.',
        properties: {
          share_path: {
            description: 'SMB target (requires <SHARE>, followed by <PATH>).',
            examples: ['/SHARE/dir/subdir'],
            title: 'Share Path',
            type: 'string',
            position: 0,
          },
          smb_username: {
            anyOf: [
              {
                format: 'password',
                type: 'string',
                writeOnly: true,
              },
              {
                type: 'null',
              },
            ],
            default: null,
            description: 'Username with access to the target SMB SHARE.',
            title: 'SMB Username',
            position: 1,
          },
          smb_password: {
            anyOf: [
              {
                format: 'password',
                type: 'string',
                writeOnly: true,
              },
              {
                type: 'null',
              },
            ],
            default: null,
            description: 'Password for SMB access.',
            title: 'SMB Password',
            position: 2,
          },
          smb_host: {
            description: 'SMB server/hostname.',
            title: 'SMB server/hostname',
            type: 'string',
            position: 3,
          },
          smb_port: {
            anyOf: [
              {
                type: 'integer',
              },
              {
                type: 'null',
              },
            ],
            default: null,
            description: 'SMB port (default: 445).',
            title: 'SMB port',
            position: 4,
          },
        },
        required: ['share_path', 'smb_host'],
        secret_fields: ['smb_username', 'smb_password'],
        title: 'SMB',
        type: 'object',
        block_schema_references: {},
      },
    },
  ],
};
