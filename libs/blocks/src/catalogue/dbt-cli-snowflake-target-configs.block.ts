import type { BuiltInBlock } from '../built-in-block';

/** Block type `dbt-cli-snowflake-target-configs` and the schema versions a Prefect 3.8.4 server registers for it. */
export const DBT_CLI_SNOWFLAKE_TARGET_CONFIGS_BLOCK: BuiltInBlock = {
  type: {
    name: 'dbt CLI Snowflake Target Configs',
    slug: 'dbt-cli-snowflake-target-configs',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/1f4742f3473da5a9fc873430a803bb739e5e48a6-400x400.png',
    documentation_url:
      'https://prefecthq.github.io/prefect-dbt/cli/configs/snowflake/#prefect_dbt.cli.configs.snowflake.SnowflakeTargetConfigs',
    description:
      'Target configs contain credentials and\nsettings, specific to Snowflake.\nTo find valid keys, head to the [Snowflake Profile](\nhttps://docs.getdbt.com/reference/warehouse-profiles/snowflake-profile)\npage. This block is part of the prefect-dbt collection. Install prefect-dbt with `pip install prefect-dbt` to use this block.',
    code_example:
      'Load stored SnowflakeTargetConfigs:\n```python\nfrom prefect_dbt.cli.configs import SnowflakeTargetConfigs\n\nsnowflake_target_configs = SnowflakeTargetConfigs.load("BLOCK_NAME")\n```\n\nInstantiate SnowflakeTargetConfigs.\n```python\nfrom prefect_dbt.cli.configs import SnowflakeTargetConfigs\nfrom prefect_snowflake.credentials import SnowflakeCredentials\nfrom prefect_snowflake.database import SnowflakeConnector\n\ncredentials = SnowflakeCredentials(\n    user="user",\n    password="password",\n    account="account.region.aws",\n    role="role",\n)\nconnector = SnowflakeConnector(\n    schema="public",\n    database="database",\n    warehouse="warehouse",\n    credentials=credentials,\n)\ntarget_configs = SnowflakeTargetConfigs(\n    connector=connector,\n    extras={"retry_on_database_errors": True},\n)\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:a70fca75226dc280c38ab0dda3679d3b0ffdee21af4463f3fb1ad6278405e370',
      version: 'non-versioned',
      capabilities: [],
      fields: {
        title: 'SnowflakeTargetConfigs',
        description:
          'Target configs contain credentials and\nsettings, specific to Snowflake.\nTo find valid keys, head to the [Snowflake Profile](\nhttps://docs.getdbt.com/reference/warehouse-profiles/snowflake-profile)\npage.',
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
          type: {
            title: 'Type',
            description: 'The type of the target configs.',
            default: 'snowflake',
            enum: ['snowflake'],
            type: 'string',
          },
          schema: {
            title: 'Schema',
            description: 'The schema to use for the target configs.',
            type: 'string',
          },
          threads: {
            title: 'Threads',
            description:
              'The number of threads representing the max number of paths through the graph dbt may work on at once.',
            default: 4,
            type: 'integer',
          },
          connector: {
            title: 'Connector',
            description: 'The connector to use.',
            allOf: [
              {
                $ref: '#/definitions/SnowflakeConnector',
              },
            ],
          },
        },
        required: ['connector'],
        block_type_slug: 'dbt-cli-snowflake-target-configs',
        secret_fields: [
          'connector.credentials.password',
          'connector.credentials.private_key',
          'connector.credentials.private_key_passphrase',
          'connector.credentials.token',
        ],
        definitions: {
          AsyncDriver: {
            title: 'AsyncDriver',
            description:
              'Known dialects with their corresponding async drivers.\n\nAttributes:\n    POSTGRESQL_ASYNCPG (Enum): [postgresql+asyncpg](https://docs.sqlalchemy.org/en/14/dialects/postgresql.html#module-sqlalchemy.dialects.postgresql.asyncpg)\n\n    SQLITE_AIOSQLITE (Enum): [sqlite+aiosqlite](https://docs.sqlalchemy.org/en/14/dialects/sqlite.html#module-sqlalchemy.dialects.sqlite.aiosqlite)\n\n    MYSQL_ASYNCMY (Enum): [mysql+asyncmy](https://docs.sqlalchemy.org/en/14/dialects/mysql.html#module-sqlalchemy.dialects.mysql.asyncmy)\n    MYSQL_AIOMYSQL (Enum): [mysql+aiomysql](https://docs.sqlalchemy.org/en/14/dialects/mysql.html#module-sqlalchemy.dialects.mysql.aiomysql)',
            enum: ['postgresql+asyncpg', 'sqlite+aiosqlite', 'mysql+asyncmy', 'mysql+aiomysql'],
          },
          SyncDriver: {
            title: 'SyncDriver',
            description:
              'Known dialects with their corresponding sync drivers.\n\nAttributes:\n    POSTGRESQL_PSYCOPG2 (Enum): [postgresql+psycopg2](https://docs.sqlalchemy.org/en/14/dialects/postgresql.html#module-sqlalchemy.dialects.postgresql.psycopg2)\n    POSTGRESQL_PG8000 (Enum): [postgresql+pg8000](https://docs.sqlalchemy.org/en/14/dialects/postgresql.html#module-sqlalchemy.dialects.postgresql.pg8000)\n    POSTGRESQL_PSYCOPG2CFFI (Enum): [postgresql+psycopg2cffi](https://docs.sqlalchemy.org/en/14/dialects/postgresql.html#module-sqlalchemy.dialects.postgresql.psycopg2cffi)\n    POSTGRESQL_PYPOSTGRESQL (Enum): [postgresql+pypostgresql](https://docs.sqlalchemy.org/en/14/dialects/postgresql.html#module-sqlalchemy.dialects.postgresql.pypostgresql)\n    POSTGRESQL_PYGRESQL (Enum): [postgresql+pygresql](https://docs.sqlalchemy.org/en/14/dialects/postgresql.html#module-sqlalchemy.dialects.postgresql.pygresql)\n\n    MYSQL_MYSQLDB (Enum): [mysql+mysqldb](https://docs.sqlalchemy.org/en/14/dialects/mysql.html#module-sqlalchemy.dialects.mysql.mysqldb)\n    MYSQL_PYMYSQL (Enum): [mysql+pymysql](https://docs.sqlalchemy.org/en/14/dialects/mysql.html#module-sqlalchemy.dialects.mysql.pymysql)\n    MYSQL_MYSQLCONNECTOR (Enum): [mysql+mysqlconnector](https://docs.sqlalchemy.org/en/14/dialects/mysql.html#module-sqlalchemy.dialects.mysql.mysqlconnector)\n    MYSQL_CYMYSQL (Enum): [mysql+cymysql](https://docs.sqlalchemy.org/en/14/dialects/mysql.html#module-sqlalchemy.dialects.mysql.cymysql)\n    MYSQL_OURSQL (Enum): [mysql+oursql](https://docs.sqlalchemy.org/en/14/dialects/mysql.html#module-sqlalchemy.dialects.mysql.oursql)\n    MYSQL_PYODBC (Enum): [mysql+pyodbc](https://docs.sqlalchemy.org/en/14/dialects/mysql.html#module-sqlalchemy.dialects.mysql.pyodbc)\n\n    SQLITE_PYSQLITE (Enum): [sqlite+pysqlite](https://docs.sqlalchemy.org/en/14/dialects/sqlite.html#module-sqlalchemy.dialects.sqlite.pysqlite)\n    SQLITE_PYSQLCIPHER (Enum): [sqlite+pysqlcipher](https://docs.sqlalchemy.org/en/14/dialects/sqlite.html#module-sqlalchemy.dialects.sqlite.pysqlcipher)\n\n    ORACLE_CX_ORACLE (Enum): [oracle+cx_oracle](https://docs.sqlalchemy.org/en/14/dialects/oracle.html#module-sqlalchemy.dialects.oracle.cx_oracle)\n\n    MSSQL_PYODBC (Enum): [mssql+pyodbc](https://docs.sqlalchemy.org/en/14/dialects/mssql.html#module-sqlalchemy.dialects.mssql.pyodbc)\n    MSSQL_MXODBC (Enum): [mssql+mxodbc](https://docs.sqlalchemy.org/en/14/dialects/mssql.html#module-sqlalchemy.dialects.mssql.mxodbc)\n    MSSQL_PYMSSQL (Enum): [mssql+pymssql](https://docs.sqlalchemy.org/en/14/dialects/mssql.html#module-sqlalchemy.dialects.mssql.pymssql)',
            enum: [
              'postgresql+psycopg2',
              'postgresql+pg8000',
              'postgresql+psycopg2cffi',
              'postgresql+pypostgresql',
              'postgresql+pygresql',
              'mysql+mysqldb',
              'mysql+pymysql',
              'mysql+mysqlconnector',
              'mysql+cymysql',
              'mysql+oursql',
              'mysql+pyodbc',
              'sqlite+pysqlite',
              'sqlite+pysqlcipher',
              'oracle+cx_oracle',
              'mssql+pyodbc',
              'mssql+mxodbc',
              'mssql+pymssql',
            ],
          },
          ConnectionComponents: {
            title: 'ConnectionComponents',
            description:
              'Parameters to use to create a SQLAlchemy engine URL.\n\nAttributes:\n    driver: The driver name to use.\n    database: The name of the database to use.\n    username: The user name used to authenticate.\n    password: The password used to authenticate.\n    host: The host address of the database.\n    port: The port to connect to the database.\n    query: A dictionary of string keys to string values to be passed to the dialect\n        and/or the DBAPI upon connect.',
            type: 'object',
            properties: {
              driver: {
                title: 'Driver',
                description: 'The driver name to use.',
                anyOf: [
                  {
                    $ref: '#/definitions/AsyncDriver',
                  },
                  {
                    $ref: '#/definitions/SyncDriver',
                  },
                  {
                    type: 'string',
                  },
                ],
              },
              database: {
                title: 'Database',
                description: 'The name of the database to use.',
                type: 'string',
              },
              username: {
                title: 'Username',
                description: 'The user name used to authenticate.',
                type: 'string',
              },
              password: {
                title: 'Password',
                description: 'The password used to authenticate.',
                type: 'string',
                writeOnly: true,
                format: 'password',
              },
              host: {
                title: 'Host',
                description: 'The host address of the database.',
                type: 'string',
              },
              port: {
                title: 'Port',
                description: 'The port to connect to the database.',
                type: 'string',
              },
              query: {
                title: 'Query',
                description:
                  'A dictionary of string keys to string values to be passed to the dialect and/or the DBAPI upon connect. To specify non-string parameters to a Python DBAPI directly, use connect_args.',
                type: 'object',
                additionalProperties: {
                  type: 'string',
                },
              },
            },
            required: ['driver', 'database'],
          },
          SnowflakeConnector: {
            title: 'SnowflakeConnector',
            description: 'Perform data operations against a Snowflake database.',
            type: 'object',
            properties: {
              credentials: {
                title: 'Credentials',
                description: 'The credentials to authenticate with Snowflake.',
                allOf: [
                  {
                    $ref: '#/definitions/SnowflakeCredentials',
                  },
                ],
              },
              database: {
                title: 'Database',
                description: 'The name of the default database to use.',
                type: 'string',
              },
              warehouse: {
                title: 'Warehouse',
                description: 'The name of the default warehouse to use.',
                type: 'string',
              },
              schema: {
                title: 'Schema',
                description: 'The name of the default schema to use.',
                type: 'string',
              },
              fetch_size: {
                title: 'Fetch Size',
                description: 'The default number of rows to fetch at a time.',
                default: 1,
                type: 'integer',
              },
              poll_frequency_s: {
                title: 'Poll Frequency [seconds]',
                description: 'The number of seconds between checking query status for long running queries.',
                default: 1,
                type: 'integer',
              },
            },
            required: ['credentials', 'database', 'warehouse', 'schema'],
            block_type_slug: 'snowflake-connector',
            secret_fields: [
              'credentials.password',
              'credentials.private_key',
              'credentials.private_key_passphrase',
              'credentials.token',
            ],
            block_schema_references: {
              credentials: {
                block_schema_checksum:
                  'sha256:35bea1e0ca2277b003ca6d1c220e59ce9a58330934c051fe26a549c2fa380b1f',
                block_type_slug: 'snowflake-credentials',
              },
            },
          },
          SnowflakeCredentials: {
            title: 'SnowflakeCredentials',
            description: 'Block used to manage authentication with Snowflake.',
            type: 'object',
            properties: {
              account: {
                title: 'Account',
                description: 'The snowflake account name.',
                example: 'nh12345.us-east-2.aws',
                type: 'string',
              },
              user: {
                title: 'User',
                description: 'The user name used to authenticate.',
                type: 'string',
              },
              password: {
                title: 'Password',
                description: 'The password used to authenticate.',
                type: 'string',
                writeOnly: true,
                format: 'password',
              },
              private_key: {
                title: 'Private Key',
                description: 'The PEM used to authenticate.',
                type: 'string',
                writeOnly: true,
                format: 'password',
              },
              private_key_path: {
                title: 'Private Key Path',
                description: 'The path to the private key.',
                type: 'string',
                format: 'path',
              },
              private_key_passphrase: {
                title: 'Private Key Passphrase',
                description: 'The password to use for the private key.',
                type: 'string',
                writeOnly: true,
                format: 'password',
              },
              authenticator: {
                title: 'Authenticator',
                description: 'The type of authenticator to use for initializing connection.',
                default: 'snowflake',
                enum: [
                  'snowflake',
                  'snowflake_jwt',
                  'externalbrowser',
                  'okta_endpoint',
                  'oauth',
                  'username_password_mfa',
                ],
                type: 'string',
              },
              token: {
                title: 'Token',
                description: 'The OAuth or JWT Token to provide when authenticator is set to `oauth`.',
                type: 'string',
                writeOnly: true,
                format: 'password',
              },
              endpoint: {
                title: 'Endpoint',
                description: 'The Okta endpoint to use when authenticator is set to `okta_endpoint`.',
                type: 'string',
              },
              role: {
                title: 'Role',
                description: 'The name of the default role to use.',
                type: 'string',
              },
              autocommit: {
                title: 'Autocommit',
                description: 'Whether to automatically commit.',
                type: 'boolean',
              },
            },
            required: ['account', 'user'],
            block_type_slug: 'snowflake-credentials',
            secret_fields: ['password', 'private_key', 'private_key_passphrase', 'token'],
            block_schema_references: {},
          },
        },
        block_schema_references: {
          connector: {
            block_schema_checksum: 'sha256:a8cba7cafe80dd13d0dc167f351c2dda8d17698b02c7a2f9e7e0fceb1da00994',
            block_type_slug: 'snowflake-connector',
          },
        },
      },
    },
    {
      checksum: 'sha256:1e5be296bb63d7e2b04f0e9b99543db12521af269399d10e2bc290da4244a575',
      version: '0.4.1',
      capabilities: [],
      fields: {
        title: 'SnowflakeTargetConfigs',
        description:
          'Target configs contain credentials and\nsettings, specific to Snowflake.\nTo find valid keys, head to the [Snowflake Profile](\nhttps://docs.getdbt.com/reference/warehouse-profiles/snowflake-profile)\npage.',
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
          type: {
            title: 'Type',
            description: 'The type of the target configs.',
            default: 'snowflake',
            enum: ['snowflake'],
            type: 'string',
          },
          schema: {
            title: 'Schema',
            description: 'The schema to use for the target configs.',
            type: 'string',
          },
          threads: {
            title: 'Threads',
            description:
              'The number of threads representing the max number of paths through the graph dbt may work on at once.',
            default: 4,
            type: 'integer',
          },
          connector: {
            title: 'Connector',
            description: 'The connector to use.',
            allOf: [
              {
                $ref: '#/definitions/SnowflakeConnector',
              },
            ],
          },
        },
        required: ['connector'],
        block_type_slug: 'dbt-cli-snowflake-target-configs',
        secret_fields: [
          'connector.credentials.password',
          'connector.credentials.private_key',
          'connector.credentials.private_key_passphrase',
          'connector.credentials.token',
        ],
        block_schema_references: {
          connector: {
            block_schema_checksum: 'sha256:dd0d36d69bbe0d44870fd754f3c00754e37e3f52209590083eaee4c585ce0bd0',
            block_type_slug: 'snowflake-connector',
          },
        },
        definitions: {
          SnowflakeConnector: {
            title: 'SnowflakeConnector',
            description: 'Perform data operations against a Snowflake database.',
            type: 'object',
            properties: {
              credentials: {
                title: 'Credentials',
                description: 'The credentials to authenticate with Snowflake.',
                allOf: [
                  {
                    $ref: '#/definitions/SnowflakeCredentials',
                  },
                ],
              },
              database: {
                title: 'Database',
                description: 'The name of the default database to use.',
                type: 'string',
              },
              warehouse: {
                title: 'Warehouse',
                description: 'The name of the default warehouse to use.',
                type: 'string',
              },
              schema: {
                title: 'Schema',
                description: 'The name of the default schema to use.',
                type: 'string',
              },
              fetch_size: {
                title: 'Fetch Size',
                description: 'The default number of rows to fetch at a time.',
                default: 1,
                type: 'integer',
              },
              poll_frequency_s: {
                title: 'Poll Frequency [seconds]',
                description: 'The number of seconds between checking query status for long running queries.',
                default: 1,
                type: 'integer',
              },
            },
            required: ['credentials', 'database', 'warehouse', 'schema'],
            block_type_slug: 'snowflake-connector',
            secret_fields: [
              'credentials.password',
              'credentials.private_key',
              'credentials.private_key_passphrase',
              'credentials.token',
            ],
            block_schema_references: {
              credentials: {
                block_schema_checksum:
                  'sha256:b24edfb413527c951cb2a8b4b4c16aec096523f871d941889e29ac2e6e92e036',
                block_type_slug: 'snowflake-credentials',
              },
            },
          },
          SnowflakeCredentials: {
            title: 'SnowflakeCredentials',
            description: 'Block used to manage authentication with Snowflake.',
            type: 'object',
            properties: {
              account: {
                title: 'Account',
                description: 'The snowflake account name.',
                example: 'nh12345.us-east-2.aws',
                type: 'string',
              },
              user: {
                title: 'User',
                description: 'The user name used to authenticate.',
                type: 'string',
              },
              password: {
                title: 'Password',
                description: 'The password used to authenticate.',
                type: 'string',
                writeOnly: true,
                format: 'password',
              },
              private_key: {
                title: 'Private Key',
                description: 'The PEM used to authenticate.',
                type: 'string',
                writeOnly: true,
                format: 'password',
              },
              private_key_path: {
                title: 'Private Key Path',
                description: 'The path to the private key.',
                type: 'string',
                format: 'path',
              },
              private_key_passphrase: {
                title: 'Private Key Passphrase',
                description: 'The password to use for the private key.',
                type: 'string',
                writeOnly: true,
                format: 'password',
              },
              authenticator: {
                title: 'Authenticator',
                description: 'The type of authenticator to use for initializing connection.',
                default: 'snowflake',
                enum: [
                  'snowflake',
                  'snowflake_jwt',
                  'externalbrowser',
                  'okta_endpoint',
                  'oauth',
                  'username_password_mfa',
                ],
                type: 'string',
              },
              token: {
                title: 'Token',
                description: 'The OAuth or JWT Token to provide when authenticator is set to `oauth`.',
                type: 'string',
                writeOnly: true,
                format: 'password',
              },
              endpoint: {
                title: 'Endpoint',
                description: 'The Okta endpoint to use when authenticator is set to `okta_endpoint`.',
                type: 'string',
              },
              role: {
                title: 'Role',
                description: 'The name of the default role to use.',
                type: 'string',
              },
              autocommit: {
                title: 'Autocommit',
                description: 'Whether to automatically commit.',
                type: 'boolean',
              },
            },
            required: ['account', 'user'],
            block_type_slug: 'snowflake-credentials',
            secret_fields: ['password', 'private_key', 'private_key_passphrase', 'token'],
            block_schema_references: {},
          },
        },
      },
    },
  ],
};
