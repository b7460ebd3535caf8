import { REDACTED, redactUrl } from './url.redaction';
import { type RedisConnectionSettings, type Settings } from './settings.types';

function maskRedis<T extends RedisConnectionSettings>(connection: T): T {
  return {
    ...connection,
    url: redactUrl(connection.url),
    password: connection.password === '' ? '' : REDACTED,
  };
}

const mask = (secret: string | null): string | null => (secret === null ? null : REDACTED);

/**
 * The settings tree with every secret replaced by `********` (auth string, database password and
 * the password inside any URL). This is what may be logged or served by /api/admin/settings.
 */
export function settingsForDisplay(settings: Settings): Settings {
  const { server, redis } = settings;
  const { database } = server;
  return {
    ...settings,
    api: { url: settings.api.url === null ? null : redactUrl(settings.api.url) },
    server: {
      ...server,
      api: { ...server.api, authString: mask(server.api.authString) },
      blocks: { ...server.blocks, encryptionKey: mask(server.blocks.encryptionKey) },
      database: {
        ...database,
        connectionUrl: database.connectionUrl === null ? null : redactUrl(database.connectionUrl),
        password: mask(database.password),
      },
      docket: { ...server.docket, url: redactUrl(server.docket.url) },
    },
    redis: {
      messaging: maskRedis(redis.messaging),
      workerCleanupQueue: maskRedis(redis.workerCleanupQueue),
    },
  };
}
