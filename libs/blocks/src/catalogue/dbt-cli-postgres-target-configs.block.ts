import type { BuiltInBlock } from '../built-in-block';

/** Block type `dbt-cli-postgres-target-configs` and the schema versions a Prefect 3.8.4 server registers for it. */
export const DBT_CLI_POSTGRES_TARGET_CONFIGS_BLOCK: BuiltInBlock = {
  type: {
    name: 'dbt CLI Postgres Target Configs',
    slug: 'dbt-cli-postgres-target-configs',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/1f4742f3473da5a9fc873430a803bb739e5e48a6-400x400.png',
    documentation_url:
      'https://prefecthq.github.io/prefect-dbt/cli/configs/postgres/#prefect_dbt.cli.configs.postgres.PostgresTargetConfigs',
    description:
      'dbt CLI target configs containing credentials and settings specific to Postgres. This block is part of the prefect-dbt collection. Install prefect-dbt with `pip install prefect-dbt` to use this block.',
    code_example:
      'Load stored PostgresTargetConfigs:\n```python\nfrom prefect_dbt.cli.configs import PostgresTargetConfigs\n\npostgres_target_configs = PostgresTargetConfigs.load("BLOCK_NAME")\n```\n\nInstantiate PostgresTargetConfigs with DatabaseCredentials.\n```python\nfrom prefect_dbt.cli.configs import PostgresTargetConfigs\nfrom prefect_sqlalchemy import DatabaseCredentials, SyncDriver\n\ncredentials = DatabaseCredentials(\n    driver=SyncDriver.POSTGRESQL_PSYCOPG2,\n    username="prefect",\n    password="prefect_password",\n    database="postgres",\n    host="host",\n    port=8080\n)\ntarget_configs = PostgresTargetConfigs(credentials=credentials, schema="schema")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:1552a2d5c102961df4082329f39c10b8a51e26ee687148efd6d71ce8be8850c0',
      version: '0.4.1',
      capabilities: [],
      fields: {
        title: 'PostgresTargetConfigs',
        description: 'dbt CLI target configs containing credentials and settings specific to Postgres.',
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
            description: 'The type of the target.',
            default: 'postgres',
            enum: ['postgres'],
            type: 'string',
          },
          schema: {
            title: 'Schema',
            description:
              'The schema that dbt will build objects into; in BigQuery, a schema is actually a dataset.',
            type: 'string',
          },
          threads: {
            title: 'Threads',
            description:
              'The number of threads representing the max number of paths through the graph dbt may work on at once.',
            default: 4,
            type: 'integer',
          },
          credentials: {
            title: 'Credentials',
            description:
              'The credentials to use to authenticate; if there are duplicate keys between credentials and TargetConfigs, e.g. schema, an error will be raised.',
            anyOf: [
              {
                $ref: '#/definitions/SqlAlchemyConnector',
              },
              {
                $ref: '#/definitions/DatabaseCredentials',
              },
            ],
          },
        },
        required: ['schema', 'credentials'],
        block_type_slug: 'dbt-cli-postgres-target-configs',
        secret_fields: ['credentials.connection_info.password', 'credentials.password'],
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
          SqlAlchemyConnector: {
            title: 'SqlAlchemyConnector',
            description:
              "Block used to manage authentication with a database.\n\nUpon instantiating, an engine is created and maintained for the life of\nthe object until the close method is called.\n\nIt is recommended to use this block as a context manager, which will automatically\nclose the engine and its connections when the context is exited.\n\nIt is also recommended that this block is loaded and consumed within a single task\nor flow because if the block is passed across separate tasks and flows,\nthe state of the block's connection and cursor could be lost.",
            type: 'object',
            properties: {
              connection_info: {
                title: 'Connection Info',
                description:
                  'SQLAlchemy URL to create the engine; either create from components or create from a string.',
                anyOf: [
                  {
                    $ref: '#/definitions/ConnectionComponents',
                  },
                  {
                    type: 'string',
                    minLength: 1,
                    maxLength: 65536,
                    format: 'uri',
                  },
                ],
              },
              connect_args: {
                title: 'Additional Connection Arguments',
                description:
                  "The options which will be passed directly to the DBAPI's connect() method as additional keyword arguments.",
                type: 'object',
              },
              fetch_size: {
                title: 'Fetch Size',
                description: 'The number of rows to fetch at a time.',
                default: 1,
                type: 'integer',
              },
            },
            required: ['connection_info'],
            block_type_slug: 'sqlalchemy-connector',
            secret_fields: ['connection_info.password'],
            block_schema_references: {},
          },
          DatabaseCredentials: {
            title: 'DatabaseCredentials',
            description: 'Block used to manage authentication with a database.',
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
              database: {
                title: 'Database',
                description: 'The name of the database to use.',
                type: 'string',
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
              url: {
                title: 'Url',
                description:
                  "Manually create and provide a URL to create the engine, this is useful for external dialects, e.g. Snowflake, because some of the params, such as 'warehouse', is not directly supported in the vanilla `sqlalchemy.engine.URL.create` method; do not provide this alongside with other URL params as it will raise a `ValueError`.",
                minLength: 1,
                maxLength: 65536,
                format: 'uri',
                type: 'string',
              },
              connect_args: {
                title: 'Connect Args',
                description:
                  "The options which will be passed directly to the DBAPI's connect() method as additional keyword arguments.",
                type: 'object',
              },
            },
            block_type_slug: 'database-credentials',
            secret_fields: ['password'],
            block_schema_references: {},
          },
        },
        block_schema_references: {
          credentials: [
            {
              block_schema_checksum:
                'sha256:01e6c0bdaac125860811b201f5a5e98ffefd5f8a49f1398b6996aec362643acc',
              block_type_slug: 'sqlalchemy-connector',
            },
            {
              block_schema_checksum:
                'sha256:64175f83f2ae15bef7893a4d9a02658f2b5288747d54594ca6d356dc42e9993c',
              block_type_slug: 'database-credentials',
            },
          ],
        },
      },
    },
  ],
};
