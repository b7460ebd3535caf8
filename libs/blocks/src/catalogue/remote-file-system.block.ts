import type { BuiltInBlock } from '../built-in-block';

/** Block type `remote-file-system` and the schema versions a Prefect 3.8.4 server registers for it. */
export const REMOTE_FILE_SYSTEM_BLOCK: BuiltInBlock = {
  type: {
    name: 'Remote File System',
    slug: 'remote-file-system',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/e86b41bc0f9c99ba9489abeee83433b43d5c9365-48x48.png',
    documentation_url: 'https://docs.prefect.io/latest/develop/results#specifying-a-default-filesystem',
    description:
      'Store data as a file on a remote file system.\n\nSupports any remote file system supported by `fsspec`. The file system is specified\nusing a protocol. For example, "s3://my-bucket/my-folder/" will use S3.',
    code_example:
      'Load stored remote file system config:\n```python\nfrom prefect.filesystems import RemoteFileSystem\n\nremote_file_system_block = RemoteFileSystem.load("BLOCK_NAME")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:3bca63009aa57af6c7053fc17a2a336a1e1801bbb19ca2c5939b59afe435c531',
      version: '3.8.4',
      capabilities: ['write-path', 'get-directory', 'read-path', 'put-directory'],
      fields: {
        block_type_slug: 'remote-file-system',
        description:
          'Store data as a file on a remote file system.\n\nSupports any remote file system supported by `fsspec`. The file system is specified\nusing a protocol. For example, "s3://my-bucket/my-folder/" will use S3.',
        properties: {
          basepath: {
            description: 'Default path for this block to write to.',
            examples: ['s3://my-bucket/my-folder/'],
            title: 'Basepath',
            type: 'string',
            position: 0,
          },
          settings: {
            description: 'Additional settings to pass through to fsspec.',
            title: 'Settings',
            type: 'object',
            position: 1,
          },
        },
        required: ['basepath'],
        secret_fields: [],
        title: 'RemoteFileSystem',
        type: 'object',
        block_schema_references: {},
      },
    },
  ],
};
