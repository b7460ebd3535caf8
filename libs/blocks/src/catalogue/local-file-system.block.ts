import type { BuiltInBlock } from '../built-in-block';

/** Block type `local-file-system` and the schema versions a Prefect 3.8.4 server registers for it. */
export const LOCAL_FILE_SYSTEM_BLOCK: BuiltInBlock = {
  type: {
    name: 'Local File System',
    slug: 'local-file-system',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/ad39089fa66d273b943394a68f003f7a19aa850e-48x48.png',
    documentation_url: 'https://docs.prefect.io/latest/develop/results#specifying-a-default-filesystem',
    description: 'Store data as a file on a local file system.',
    code_example:
      'Load stored local file system config:\n```python\nfrom prefect.filesystems import LocalFileSystem\n\nlocal_file_system_block = LocalFileSystem.load("BLOCK_NAME")\n```',
    is_protected: true,
  },
  schemas: [
    {
      checksum: 'sha256:0fc8b7f936f38f465715ef2df4a817ac9fe38b80bb01d5c6c9649a6da6ae6971',
      version: '3.8.4',
      capabilities: ['write-path', 'get-directory', 'read-path', 'put-directory'],
      fields: {
        block_type_slug: 'local-file-system',
        description: 'Store data as a file on a local file system.',
        properties: {
          basepath: {
            anyOf: [
              {
                type: 'string',
              },
              {
                type: 'null',
              },
            ],
            default: null,
            description: 'Default local path for this block to write to.',
            title: 'Basepath',
            position: 0,
          },
        },
        secret_fields: [],
        title: 'LocalFileSystem',
        type: 'object',
        block_schema_references: {},
      },
    },
  ],
};
