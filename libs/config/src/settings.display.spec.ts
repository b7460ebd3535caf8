import { loadSettings } from './settings.loader';
import { REDACTED, redactUrl } from './url.redaction';
import { settingsForDisplay } from './settings.display';

describe('redactUrl', () => {
  it.each([
    ['postgresql://user:secret@db:5432/x', 'postgresql://user:********@db:5432/x'],
    ['postgresql+asyncpg://user:p@ss@db/x', 'postgresql+asyncpg://user:********@db/x'],
    ['redis://:secret@cache:6379/0', 'redis://:********@cache:6379/0'],
    ['rediss://default:secret@cache', 'rediss://default:********@cache'],
    ['postgresql://user@db/x', 'postgresql://user@db/x'],
    ['postgresql://db/x?password=1', 'postgresql://db/x?password=1'],
    ['memory://', 'memory://'],
    // Malformed (unencoded # and / in the password): hide everything up to the last @.
    ['postgresql://u:pa#ss@db/x', 'postgresql://u:********@db/x'],
    ['redis://:p/w@cache:6379', 'redis://:********@cache:6379'],
    ['not a url', 'not a url'],
  ])('%s → %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });
});

describe('settingsForDisplay', () => {
  const secrets = ['hunter2', 'db-pass', 'redis-pass', 'docket-pass', 'cleanup-pass', 'admin:letmein'];
  const settings = loadSettings({
    PREFECT_SERVER_API_AUTH_STRING: 'admin:letmein',
    PREFECT_SERVER_DATABASE_CONNECTION_URL: 'postgresql+asyncpg://prefect:hunter2@db/prefect',
    PREFECT_SERVER_DATABASE_PASSWORD: 'db-pass',
    PREFECT_REDIS_MESSAGING_PASSWORD: 'redis-pass',
    PREFECT_SERVER_DOCKET_URL: 'redis://:docket-pass@cache:6379/1',
    PREFECT_REDIS_WORKER_CLEANUP_QUEUE_URL: 'redis://u:cleanup-pass@cache/2',
  });

  it('hides every secret anywhere in the tree', () => {
    const json = JSON.stringify(settingsForDisplay(settings));
    for (const secret of secrets) expect(json).not.toContain(secret);
    // The input really held them, so the check above means something.
    const raw = JSON.stringify(settings);
    for (const secret of secrets) expect(raw).toContain(secret);
  });

  it('keeps everything else and marks where secrets were', () => {
    const shown = settingsForDisplay(settings);
    expect(shown.server.api.authString).toBe(REDACTED);
    expect(shown.server.database.password).toBe(REDACTED);
    expect(shown.server.database.connectionUrl).toBe('postgresql://prefect:********@db/prefect');
    expect(shown.redis.messaging.password).toBe(REDACTED);
    expect(shown.redis.messaging.url).toBe('redis://:********@localhost:6379/0');
    expect(shown.server.docket.url).toBe('redis://:********@cache:6379/1');
    expect(shown.server.api.port).toBe(4200);
    expect(shown.server.services).toBe(settings.server.services);
  });

  it('leaves unset secrets as they are', () => {
    const shown = settingsForDisplay(loadSettings({}));
    expect(shown.server.api.authString).toBeNull();
    expect(shown.redis.messaging.password).toBe('');
  });
});
