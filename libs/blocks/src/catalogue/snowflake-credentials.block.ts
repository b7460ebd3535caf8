import type { BuiltInBlock } from '../built-in-block';

/** Block type `snowflake-credentials` and the schema versions a Prefect 3.8.4 server registers for it. */
export const SNOWFLAKE_CREDENTIALS_BLOCK: BuiltInBlock = {
  type: {
    name: 'Snowflake Credentials',
    slug: 'snowflake-credentials',
    logo_url:
      'https://cdn.sanity.io/images/3ugk85nk/production/bd359de0b4be76c2254bd329fe3a267a1a3879c2-250x250.png',
    documentation_url:
      'https://prefecthq.github.io/prefect-snowflake/credentials/#prefect_snowflake.credentials.SnowflakeCredentials',
    description:
      'Block used to manage authentication with Snowflake. This block is part of the prefect-snowflake collection. Install prefect-snowflake with `pip install prefect-snowflake` to use this block.',
    code_example:
      'Load stored Snowflake credentials:\n```python\nfrom prefect_snowflake import SnowflakeCredentials\n\nsnowflake_credentials_block = SnowflakeCredentials.load("BLOCK_NAME")\n```',
    is_protected: false,
  },
  schemas: [
    {
      checksum: 'sha256:35bea1e0ca2277b003ca6d1c220e59ce9a58330934c051fe26a549c2fa380b1f',
      version: 'non-versioned',
      capabilities: [],
      fields: {
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
        },
        block_schema_references: {},
      },
    },
    {
      checksum: 'sha256:b24edfb413527c951cb2a8b4b4c16aec096523f871d941889e29ac2e6e92e036',
      version: 'non-versioned',
      capabilities: [],
      fields: {
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
    {
      checksum: 'sha256:b24edfb413527c951cb2a8b4b4c16aec096523f871d941889e29ac2e6e92e036',
      version: '0.27.3',
      capabilities: [],
      fields: {
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
  ],
};
