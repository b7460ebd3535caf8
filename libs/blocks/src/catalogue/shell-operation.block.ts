import type { BuiltInBlock } from '../built-in-block';

/** Block type `shell-operation` and the schema versions a Prefect 3.8.4 server registers for it. */
export const SHELL_OPERATION_BLOCK: BuiltInBlock = {
  type: {
    name: 'Shell Operation',
    slug: 'shell-operation',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/0b47a017e1b40381de770c17647c49cdf6388d1c-250x250.png',
    documentation_url:
      'https://prefecthq.github.io/prefect-shell/commands/#prefect_shell.commands.ShellOperation',
    description:
      'A block representing a shell operation, containing multiple commands.\n\nFor long-lasting operations, use the trigger method and utilize the block as a\ncontext manager for automatic closure of processes when context is exited.\nIf not, manually call the close method to close processes.\n\nFor short-lasting operations, use the run method. Context is automatically managed\nwith this method. This block is part of the prefect-shell collection. Install prefect-shell with `pip install prefect-shell` to use this block.',
    code_example:
      'Load a configured block:\n```python\nfrom prefect_shell import ShellOperation\n\nshell_operation = ShellOperation.load("BLOCK_NAME")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:9525e2fd40af302916ff7a4c33ec9c0e20d8970b09243ca010d729fac144811d',
      version: '0.2.2',
      capabilities: [],
      fields: {
        title: 'ShellOperation',
        description:
          'A block representing a shell operation, containing multiple commands.\n\nFor long-lasting operations, use the trigger method and utilize the block as a\ncontext manager for automatic closure of processes when context is exited.\nIf not, manually call the close method to close processes.\n\nFor short-lasting operations, use the run method. Context is automatically managed\nwith this method.',
        type: 'object',
        properties: {
          commands: {
            title: 'Commands',
            description: 'A list of commands to execute sequentially.',
            type: 'array',
            items: {
              type: 'string',
            },
          },
          stream_output: {
            title: 'Stream Output',
            description: 'Whether to stream output.',
            default: true,
            type: 'boolean',
          },
          env: {
            title: 'Environment Variables',
            description: 'Environment variables to use for the subprocess.',
            type: 'object',
            additionalProperties: {
              type: 'string',
            },
          },
          working_dir: {
            title: 'Working Directory',
            description: 'The absolute path to the working directory the command will be executed within.',
            format: 'directory-path',
            type: 'string',
          },
          shell: {
            title: 'Shell',
            description:
              'The shell to run the command with; if unset, defaults to `powershell` on Windows and `bash` on other platforms.',
            type: 'string',
          },
          extension: {
            title: 'Extension',
            description:
              'The extension to use for the temporary file; if unset, defaults to `.ps1` on Windows and `.sh` on other platforms.',
            type: 'string',
          },
        },
        required: ['commands'],
        block_type_slug: 'shell-operation',
        secret_fields: [],
        block_schema_references: {},
      },
    },
  ],
};
