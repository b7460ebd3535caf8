import { AWS_CREDENTIALS_BLOCK } from './aws-credentials.block';
import { AWS_SECRET_BLOCK } from './aws-secret.block';
import { AZURE_BLOB_STORAGE_CONTAINER_BLOCK } from './azure-blob-storage-container.block';
import { AZURE_BLOB_STORAGE_CREDENTIALS_BLOCK } from './azure-blob-storage-credentials.block';
import { AZURE_CONTAINER_INSTANCE_CREDENTIALS_BLOCK } from './azure-container-instance-credentials.block';
import { AZURE_COSMOS_DB_CREDENTIALS_BLOCK } from './azure-cosmos-db-credentials.block';
import { AZUREML_CREDENTIALS_BLOCK } from './azureml-credentials.block';
import { BIGQUERY_WAREHOUSE_BLOCK } from './bigquery-warehouse.block';
import { BITBUCKET_CREDENTIALS_BLOCK } from './bitbucket-credentials.block';
import { BITBUCKET_REPOSITORY_BLOCK } from './bitbucket-repository.block';
import { CUSTOM_WEBHOOK_BLOCK } from './custom-webhook.block';
import { DATABASE_CREDENTIALS_BLOCK } from './database-credentials.block';
import { DATABRICKS_CREDENTIALS_BLOCK } from './databricks-credentials.block';
import { DISCORD_WEBHOOK_BLOCK } from './discord-webhook.block';
import { DOCKER_HOST_BLOCK } from './docker-host.block';
import { DOCKER_REGISTRY_CREDENTIALS_BLOCK } from './docker-registry-credentials.block';
import { EMAIL_SERVER_CREDENTIALS_BLOCK } from './email-server-credentials.block';
import { GCP_CREDENTIALS_BLOCK } from './gcp-credentials.block';
import { GCS_BUCKET_BLOCK } from './gcs-bucket.block';
import { GCPSECRET_BLOCK } from './gcpsecret.block';
import { GITHUB_CREDENTIALS_BLOCK } from './github-credentials.block';
import { GITHUB_REPOSITORY_BLOCK } from './github-repository.block';
import { GITLAB_CREDENTIALS_BLOCK } from './gitlab-credentials.block';
import { GITLAB_REPOSITORY_BLOCK } from './gitlab-repository.block';
import { KUBERNETES_CLUSTER_CONFIG_BLOCK } from './kubernetes-cluster-config.block';
import { KUBERNETES_CREDENTIALS_BLOCK } from './kubernetes-credentials.block';
import { LAMBDA_FUNCTION_BLOCK } from './lambda-function.block';
import { LOCAL_FILE_SYSTEM_BLOCK } from './local-file-system.block';
import { MATTERMOST_WEBHOOK_BLOCK } from './mattermost-webhook.block';
import { MS_TEAMS_WEBHOOK_BLOCK } from './ms-teams-webhook.block';
import { MINIO_CREDENTIALS_BLOCK } from './minio-credentials.block';
import { OPSGENIE_WEBHOOK_BLOCK } from './opsgenie-webhook.block';
import { PAGER_DUTY_WEBHOOK_BLOCK } from './pager-duty-webhook.block';
import { REMOTE_FILE_SYSTEM_BLOCK } from './remote-file-system.block';
import { S3_BUCKET_BLOCK } from './s3-bucket.block';
import { SMB_BLOCK } from './smb.block';
import { SQLALCHEMY_CONNECTOR_BLOCK } from './sqlalchemy-connector.block';
import { SECRET_BLOCK } from './secret.block';
import { SENDGRID_EMAIL_BLOCK } from './sendgrid-email.block';
import { SHELL_OPERATION_BLOCK } from './shell-operation.block';
import { SLACK_CREDENTIALS_BLOCK } from './slack-credentials.block';
import { SLACK_WEBHOOK_BLOCK } from './slack-webhook.block';
import { SNOWFLAKE_CONNECTOR_BLOCK } from './snowflake-connector.block';
import { SNOWFLAKE_CREDENTIALS_BLOCK } from './snowflake-credentials.block';
import { TWILIO_SMS_BLOCK } from './twilio-sms.block';
import { WEBHOOK_BLOCK } from './webhook.block';
import { DBT_CLI_BIGQUERY_TARGET_CONFIGS_BLOCK } from './dbt-cli-bigquery-target-configs.block';
import { DBT_CLI_GLOBAL_CONFIGS_BLOCK } from './dbt-cli-global-configs.block';
import { DBT_CLI_POSTGRES_TARGET_CONFIGS_BLOCK } from './dbt-cli-postgres-target-configs.block';
import { DBT_CLI_PROFILE_BLOCK } from './dbt-cli-profile.block';
import { DBT_CLI_SNOWFLAKE_TARGET_CONFIGS_BLOCK } from './dbt-cli-snowflake-target-configs.block';
import { DBT_CLI_TARGET_CONFIGS_BLOCK } from './dbt-cli-target-configs.block';
import { DBT_CLOUD_CREDENTIALS_BLOCK } from './dbt-cloud-credentials.block';
import { DBT_CORE_OPERATION_BLOCK } from './dbt-core-operation.block';
import type { BuiltInBlock } from '../built-in-block';

/** Every block type a fresh server registers, in the order Prefect lists them (block type name). */
export const BUILT_IN_BLOCKS: readonly BuiltInBlock[] = [
  AWS_CREDENTIALS_BLOCK,
  AWS_SECRET_BLOCK,
  AZURE_BLOB_STORAGE_CONTAINER_BLOCK,
  AZURE_BLOB_STORAGE_CREDENTIALS_BLOCK,
  AZURE_CONTAINER_INSTANCE_CREDENTIALS_BLOCK,
  AZURE_COSMOS_DB_CREDENTIALS_BLOCK,
  AZUREML_CREDENTIALS_BLOCK,
  BIGQUERY_WAREHOUSE_BLOCK,
  BITBUCKET_CREDENTIALS_BLOCK,
  BITBUCKET_REPOSITORY_BLOCK,
  CUSTOM_WEBHOOK_BLOCK,
  DATABASE_CREDENTIALS_BLOCK,
  DATABRICKS_CREDENTIALS_BLOCK,
  DISCORD_WEBHOOK_BLOCK,
  DOCKER_HOST_BLOCK,
  DOCKER_REGISTRY_CREDENTIALS_BLOCK,
  EMAIL_SERVER_CREDENTIALS_BLOCK,
  GCP_CREDENTIALS_BLOCK,
  GCS_BUCKET_BLOCK,
  GCPSECRET_BLOCK,
  GITHUB_CREDENTIALS_BLOCK,
  GITHUB_REPOSITORY_BLOCK,
  GITLAB_CREDENTIALS_BLOCK,
  GITLAB_REPOSITORY_BLOCK,
  KUBERNETES_CLUSTER_CONFIG_BLOCK,
  KUBERNETES_CREDENTIALS_BLOCK,
  LAMBDA_FUNCTION_BLOCK,
  LOCAL_FILE_SYSTEM_BLOCK,
  MATTERMOST_WEBHOOK_BLOCK,
  MS_TEAMS_WEBHOOK_BLOCK,
  MINIO_CREDENTIALS_BLOCK,
  OPSGENIE_WEBHOOK_BLOCK,
  PAGER_DUTY_WEBHOOK_BLOCK,
  REMOTE_FILE_SYSTEM_BLOCK,
  S3_BUCKET_BLOCK,
  SMB_BLOCK,
  SQLALCHEMY_CONNECTOR_BLOCK,
  SECRET_BLOCK,
  SENDGRID_EMAIL_BLOCK,
  SHELL_OPERATION_BLOCK,
  SLACK_CREDENTIALS_BLOCK,
  SLACK_WEBHOOK_BLOCK,
  SNOWFLAKE_CONNECTOR_BLOCK,
  SNOWFLAKE_CREDENTIALS_BLOCK,
  TWILIO_SMS_BLOCK,
  WEBHOOK_BLOCK,
  DBT_CLI_BIGQUERY_TARGET_CONFIGS_BLOCK,
  DBT_CLI_GLOBAL_CONFIGS_BLOCK,
  DBT_CLI_POSTGRES_TARGET_CONFIGS_BLOCK,
  DBT_CLI_PROFILE_BLOCK,
  DBT_CLI_SNOWFLAKE_TARGET_CONFIGS_BLOCK,
  DBT_CLI_TARGET_CONFIGS_BLOCK,
  DBT_CLOUD_CREDENTIALS_BLOCK,
  DBT_CORE_OPERATION_BLOCK,
];
