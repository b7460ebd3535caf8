import type { BuiltInBlock } from '../built-in-block';

/** Block type `dbt-cli-global-configs` and the schema versions a Prefect 3.8.4 server registers for it. */
export const DBT_CLI_GLOBAL_CONFIGS_BLOCK: BuiltInBlock = {
  type: {
    name: 'dbt CLI Global Configs',
    slug: 'dbt-cli-global-configs',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/1f4742f3473da5a9fc873430a803bb739e5e48a6-400x400.png',
    documentation_url:
      'https://prefecthq.github.io/prefect-dbt/cli/configs/base/#prefect_dbt.cli.configs.base.GlobalConfigs',
    description:
      'Global configs control things like the visual output\nof logs, the manner in which dbt parses your project,\nand what to do when dbt finds a version mismatch\nor a failing model. Docs can be found [here](\nhttps://docs.getdbt.com/reference/global-configs). This block is part of the prefect-dbt collection. Install prefect-dbt with `pip install prefect-dbt` to use this block.',
    code_example:
      'Load stored GlobalConfigs:\n```python\nfrom prefect_dbt.cli.configs import GlobalConfigs\n\ndbt_cli_global_configs = GlobalConfigs.load("BLOCK_NAME")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:63df9d18a1aafde1cc8330cd49f81f6600b4ce6db92955973bbf341cc86e916d',
      version: '0.4.1',
      capabilities: [],
      fields: {
        title: 'GlobalConfigs',
        description:
          'Global configs control things like the visual output\nof logs, the manner in which dbt parses your project,\nand what to do when dbt finds a version mismatch\nor a failing model. Docs can be found [here](\nhttps://docs.getdbt.com/reference/global-configs).',
        type: 'object',
        properties: {
          extras: {
            title: 'Extras',
            description:
              "Extra target configs' keywords, not yet exposed in prefect-dbt, but available in dbt.",
            type: 'object',
          },
          allow_field_overrides: {
            title: 'Allow Field Overrides',
            description:
              'If enabled, fields from dbt target configs will override fields provided in extras and credentials.',
            default: false,
            type: 'boolean',
          },
          send_anonymous_usage_stats: {
            title: 'Send Anonymous Usage Stats',
            description: 'Whether usage stats are sent to dbt.',
            type: 'boolean',
          },
          use_colors: {
            title: 'Use Colors',
            description: 'Colorize the output it prints in your terminal.',
            type: 'boolean',
          },
          partial_parse: {
            title: 'Partial Parse',
            description:
              'When partial parsing is enabled, dbt will use an stored internal manifest to determine which files have been changed (if any) since it last parsed the project.',
            type: 'boolean',
          },
          printer_width: {
            title: 'Printer Width',
            description: 'Length of characters before starting a new line.',
            type: 'integer',
          },
          write_json: {
            title: 'Write Json',
            description: 'Determines whether dbt writes JSON artifacts to the target/ directory.',
            type: 'boolean',
          },
          warn_error: {
            title: 'Warn Error',
            description: 'Whether to convert dbt warnings into errors.',
            type: 'boolean',
          },
          log_format: {
            title: 'Log Format',
            description:
              "The LOG_FORMAT config specifies how dbt's logs should be formatted. If the value of this config is json, dbt will output fully structured logs in JSON format.",
            type: 'string',
          },
          debug: {
            title: 'Debug',
            description: "Whether to redirect dbt's debug logs to standard out.",
            type: 'boolean',
          },
          version_check: {
            title: 'Version Check',
            description:
              "Whether to raise an error if a project's version is used with an incompatible dbt version.",
            type: 'boolean',
          },
          fail_fast: {
            title: 'Fail Fast',
            description: 'Make dbt exit immediately if a single resource fails to build.',
            type: 'boolean',
          },
          use_experimental_parser: {
            title: 'Use Experimental Parser',
            description: 'Opt into the latest experimental version of the static parser.',
            type: 'boolean',
          },
          static_parser: {
            title: 'Static Parser',
            description:
              'Whether to use the [static parser](https://docs.getdbt.com/reference/parsing#static-parser).',
            type: 'boolean',
          },
        },
        block_type_slug: 'dbt-cli-global-configs',
        secret_fields: [],
        block_schema_references: {},
      },
    },
  ],
};
