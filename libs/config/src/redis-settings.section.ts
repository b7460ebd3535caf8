import { buildRedisUrl, parseRedisUrl } from './connection-url.parsers';
import { booleanForm, durationForm, integerForm, numberForm, textForm } from './setting.forms';
import { type SettingsReader } from './settings.reader';
import { type RedisConnectionSettings, type RedisSettings } from './settings.types';

/** `redis.*` (prefect-redis settings): the messaging connection and the worker cleanup queue's own. */
export function readRedisSettings(r: SettingsReader): RedisSettings {
  const bool = booleanForm();
  const positiveInt = integerForm({ min: 1 });
  const seconds = durationForm({ min: 0 });
  const text = textForm();
  return {
    messaging: {
      ...readRedisConnection(r, 'redis.messaging', 'Redis for messaging, caches, ordering and leases'),
      publisher: {
        batchSize: r.read('redis.messaging.publisher.batch_size', positiveInt, {
          default: 5,
          description: 'Messages buffered before a publisher flush',
        }),
        publishEvery: r.read('redis.messaging.publisher.publish_every', seconds, {
          default: 10,
          description: 'Longest a published message waits in the buffer',
        }),
        deduplicateBy: r.read('redis.messaging.publisher.deduplicate_by', text, {
          default: null,
          description: 'Attribute used to drop duplicate messages',
        }),
      },
      consumer: {
        block: r.read('redis.messaging.consumer.block', seconds, {
          default: 1,
          description: 'XREADGROUP BLOCK time',
        }),
        minIdleTime: r.read('redis.messaging.consumer.min_idle_time', seconds, {
          default: 5,
          description: 'Idle time before a pending message is reclaimed',
        }),
        maxRetries: r.read('redis.messaging.consumer.max_retries', integerForm({ min: 0 }), {
          default: 3,
          description: 'Deliveries before a message goes to the dead-letter stream',
        }),
        trimEvery: r.read('redis.messaging.consumer.trim_every', seconds, {
          default: 60,
          description: 'Interval between stream trims',
        }),
        trimIdleThreshold: r.read('redis.messaging.consumer.trim_idle_threshold', seconds, {
          default: 300,
          description: 'Groups idle longer than this do not hold trimming back',
        }),
        shouldProcessPendingMessages: r.read(
          'redis.messaging.consumer.should_process_pending_messages',
          bool,
          {
            default: true,
            description: 'Reclaim pending messages of dead consumers',
          },
        ),
        startingMessageId: r.read('redis.messaging.consumer.starting_message_id', text, {
          default: '0',
          description: 'Id a new consumer group starts from',
        }),
        automaticallyAcknowledge: r.read('redis.messaging.consumer.automatically_acknowledge', bool, {
          default: true,
          description: 'Acknowledge messages whose handler returned',
        }),
      },
    },
    workerCleanupQueue: {
      ...readRedisConnection(r, 'redis.worker_cleanup_queue', 'Redis for the worker cleanup queue'),
      keyPrefix: r.read('redis.worker_cleanup_queue.key_prefix', text, {
        default: 'prefect:worker-cleanup',
        description: 'Key prefix of the worker cleanup queue',
      }),
    },
  };
}

function readRedisConnection(r: SettingsReader, prefix: string, purpose: string): RedisConnectionSettings {
  const urlPath = `${prefix}.url`;
  const url = r.read(urlPath, textForm(), {
    default: null,
    defaultText: '— (built from the fields below)',
    secret: true,
    url: true,
    description: `Secret. ${purpose}: redis:// or rediss:// URL; overrides HOST/PORT/DB/USERNAME/PASSWORD/SSL; redis+cluster:// is refused`,
  });
  const host = r.read(`${prefix}.host`, textForm(), { default: 'localhost', description: 'Redis host' });
  const port = r.read(`${prefix}.port`, integerForm({ min: 1, max: 65535 }), {
    default: 6379,
    description: 'Redis port',
  });
  const db = r.read(`${prefix}.db`, integerForm({ min: 0 }), {
    default: 0,
    description: 'Redis database number',
  });
  const username = r.read(`${prefix}.username`, textForm(), {
    default: 'default',
    description: 'Redis ACL user',
  });
  const password = r.read(`${prefix}.password`, textForm(), {
    default: '',
    defaultText: '""',
    secret: true,
    description: 'Secret. Redis password',
  });
  const ssl = r.read(`${prefix}.ssl`, booleanForm(), { default: false, description: 'Use TLS (rediss://)' });
  const rest = {
    healthCheckInterval: r.read(`${prefix}.health_check_interval`, integerForm({ min: 0 }), {
      default: 20,
      description: 'Seconds between connection health checks',
    }),
    socketTimeout: r.read(`${prefix}.socket_timeout`, numberForm({ above: 0 }), {
      default: null,
      description: 'Socket read timeout in seconds (unset = none)',
    }),
    socketConnectTimeout: r.read(`${prefix}.socket_connect_timeout`, numberForm({ above: 0 }), {
      default: null,
      description: 'Socket connect timeout in seconds (unset = none)',
    }),
    protocol: r.read(`${prefix}.protocol`, integerForm({ min: 2, max: 3 }), {
      default: 2,
      description: 'RESP protocol version',
    }),
  };
  const urlFound = r.rawOf(urlPath);
  const effectiveUrl =
    url !== null && urlFound !== undefined
      ? parseRedisUrl(urlFound)
      : buildRedisUrl({ host, port, db, username, password, ssl });
  return { url: effectiveUrl, host, port, db, username, password, ssl, ...rest };
}
