/**
 * Settings Orrery accepts (an existing Prefect `.env`, compose file or Helm values keeps working)
 * without acting on them, each with the reason. docs/settings.md shows the reason next to the
 * setting, and a process warns once at start-up about each one set to something other than its
 * default. A setting leaves this table when something reads it; a test
 * (libs/server/src/settings-consumers.spec.ts) fails when a setting is neither read nor here.
 */
const CLEANUP_QUEUE =
  'configures the worker cleanup queue, which serves the worker channel (websocket); Orrery does not serve the worker channel (404), so there is nothing to clean up';

export const SETTINGS_WITHOUT_EFFECT: Readonly<Record<string, string>> = {
  PREFECT_SERVER_UI_V2_ENABLED:
    "Orrery ships one UI, on Prefect's Vue UI libraries (v1); there is no v2 UI to switch to, and /ui-settings says so",
  PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT:
    'the UI Orrery ships shows no promotional content (it runs offline)',
  PREFECT_LOGGING_LEVEL:
    "the level of the Prefect SDK's own loggers (client side); everything an Orrery process logs is server logging, set by PREFECT_SERVER_LOGGING_LEVEL",
  PREFECT_SERVER_ANALYTICS_ENABLED:
    "upstream's telemetry heartbeat reports usage to Prefect; Orrery deliberately sends nothing anywhere",
  PREFECT_SERVER_MEMOIZE_BLOCK_AUTO_REGISTRATION:
    'block registration at start-up is one idempotent upsert under an advisory lock, cheap enough to run every time; no memo file is kept',
  PREFECT_SERVER_MEMO_STORE_PATH: 'no memo file is kept (see PREFECT_SERVER_MEMOIZE_BLOCK_AUTO_REGISTRATION)',
  PREFECT_SERVER_DATABASE_SQLALCHEMY_POOL_TIMEOUT:
    'node-postgres has one timeout for opening a connection and for waiting on a full pool: PREFECT_SERVER_DATABASE_CONNECTION_TIMEOUT sets it',
  PREFECT_SERVER_EPHEMERAL_ENABLED:
    'read by the Prefect client to start a temporary in-process server; Orrery is the server',
  PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS:
    'read by the Prefect client while it waits for a temporary server; Orrery is the server',
  PREFECT_SERVER_SERVICES_EVENT_PERSISTER_QUEUE_MAX_SIZE:
    'the persister reads batches straight from the stream and keeps no in-memory queue: the backlog waits in the stream, nothing is dropped',
  PREFECT_SERVER_SERVICES_EVENT_PERSISTER_MAX_FLUSH_RETRIES:
    'a batch whose write fails stays unacknowledged and is redelivered by the bus (PREFECT_REDIS_MESSAGING_CONSUMER_MAX_RETRIES), never dropped',
  PREFECT_SERVER_SERVICES_CLEANUP_RECONCILER_ENABLED: `the cleanup-reconciler service is not implemented: it ${CLEANUP_QUEUE.replace('configures', 'drains')}`,
  PREFECT_SERVER_SERVICES_CLEANUP_RECONCILER_LOOP_SECONDS:
    'the cleanup-reconciler service is not implemented',
  PREFECT_SERVER_SERVICES_CLEANUP_RECONCILER_BATCH_SIZE: 'the cleanup-reconciler service is not implemented',
  PREFECT_SERVER_TASKS_SCHEDULING_MAX_SCHEDULED_QUEUE_SIZE:
    'background task runs wait in a durable per-task-key stream (Redis or in-process), bounded by the stream, not by an in-memory queue of this size',
  PREFECT_SERVER_TASKS_SCHEDULING_MAX_RETRY_QUEUE_SIZE:
    'retried background task runs go back to the same durable per-task-key stream; there is no separate retry queue',
  PREFECT_SERVER_TASKS_SCHEDULING_PENDING_TASK_TIMEOUT:
    'a run a task worker took but never acknowledged is redelivered by the bus after its idle time; runs are not rescheduled from PENDING',
  PREFECT_SERVER_WORKER_CHANNEL_CLEANUP_QUEUE_STORAGE: CLEANUP_QUEUE,
  PREFECT_SERVER_WORKER_CHANNEL_CLEANUP_LEASE_SECONDS: CLEANUP_QUEUE,
  PREFECT_SERVER_WORKER_CHANNEL_CLEANUP_MAX_DELIVERY_ATTEMPTS: CLEANUP_QUEUE,
  PREFECT_SERVER_WORKER_CHANNEL_CLEANUP_COMPLETED_IDEMPOTENCY_RETENTION_SECONDS: CLEANUP_QUEUE,
  PREFECT_REDIS_MESSAGING_PROTOCOL:
    'ioredis speaks RESP2 only; the replies Orrery reads are the same under RESP3',
  PREFECT_REDIS_MESSAGING_PUBLISHER_BATCH_SIZE:
    'Orrery publishes the messages of a request together, in one round trip, as the request commits (the outbox); it does not hold messages back to batch them',
  PREFECT_REDIS_MESSAGING_PUBLISHER_PUBLISH_EVERY:
    'messages are published as their request commits, never held in a buffer (see PREFECT_REDIS_MESSAGING_PUBLISHER_BATCH_SIZE)',
  PREFECT_REDIS_MESSAGING_PUBLISHER_DEDUPLICATE_BY:
    'every publisher that needs de-duplication names its attribute itself (events de-duplicate by id, always, as upstream configures them)',
  PREFECT_REDIS_MESSAGING_CONSUMER_SHOULD_PROCESS_PENDING_MESSAGES:
    'pending messages of a consumer that died are always reclaimed after the min idle time: turning that off would lose them',
  PREFECT_REDIS_MESSAGING_CONSUMER_STARTING_MESSAGE_ID:
    "a new consumer group always starts at the stream's beginning (0), so a new service replica set misses nothing still in the stream",
  PREFECT_REDIS_MESSAGING_CONSUMER_AUTOMATICALLY_ACKNOWLEDGE:
    'a message is acknowledged only after its handler committed (a deliberate deviation: acknowledging on receipt loses messages on a crash)',
  PREFECT_REDIS_WORKER_CLEANUP_QUEUE_URL: CLEANUP_QUEUE,
  PREFECT_REDIS_WORKER_CLEANUP_QUEUE_HOST: CLEANUP_QUEUE,
  PREFECT_REDIS_WORKER_CLEANUP_QUEUE_PORT: CLEANUP_QUEUE,
  PREFECT_REDIS_WORKER_CLEANUP_QUEUE_DB: CLEANUP_QUEUE,
  PREFECT_REDIS_WORKER_CLEANUP_QUEUE_USERNAME: CLEANUP_QUEUE,
  PREFECT_REDIS_WORKER_CLEANUP_QUEUE_PASSWORD: CLEANUP_QUEUE,
  PREFECT_REDIS_WORKER_CLEANUP_QUEUE_SSL: CLEANUP_QUEUE,
  PREFECT_REDIS_WORKER_CLEANUP_QUEUE_HEALTH_CHECK_INTERVAL: CLEANUP_QUEUE,
  PREFECT_REDIS_WORKER_CLEANUP_QUEUE_SOCKET_TIMEOUT: CLEANUP_QUEUE,
  PREFECT_REDIS_WORKER_CLEANUP_QUEUE_SOCKET_CONNECT_TIMEOUT: CLEANUP_QUEUE,
  PREFECT_REDIS_WORKER_CLEANUP_QUEUE_PROTOCOL: CLEANUP_QUEUE,
  PREFECT_REDIS_WORKER_CLEANUP_QUEUE_KEY_PREFIX: CLEANUP_QUEUE,
};
