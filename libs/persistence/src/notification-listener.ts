import type { DataSource } from 'typeorm';
import { databaseKindOf } from './create-data-source';
import { withPgliteSession } from './pglite-session';

/** A live LISTEN: `close()` ends it. */
export interface NotificationListener {
  close(): Promise<void>;
}

interface PgClient {
  connect(): Promise<void>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
  on(event: 'notification', fn: (n: { channel: string; payload?: string }) => void): void;
  on(event: 'error' | 'end', fn: (error?: Error) => void): void;
}

interface PgPool {
  readonly options: Record<string, unknown>;
  readonly Client: new (options: Record<string, unknown>) => PgClient;
}

/**
 * LISTENs on `channel` of the DataSource's database. PostgreSQL: one connection of its own outside
 * the pool, built from the pool's own options (same URL, TLS, application_name, search_path);
 * `onLost` is called once if that connection errors or ends — the caller reconnects. A `SELECT 1`
 * every `heartbeatMs` notices a dead connection. PGlite: the embedded instance's own listener
 * (NOTIFY is delivered on commit there too).
 */
export async function listenForNotifications(
  dataSource: DataSource,
  channel: string,
  onNotify: (payload: string) => void,
  onLost: (error: Error) => void,
  heartbeatMs = 5000,
): Promise<NotificationListener> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`invalid channel name ${channel}`);
  if (databaseKindOf(dataSource) === 'pglite') {
    // LISTEN is transactional: issued inside another handle's open transaction it would be undone by
    // that transaction's rollback, so it waits for the session like any statement.
    const unsubscribe = await withPgliteSession((pglite) =>
      pglite.listen(channel, (payload) => onNotify(payload)),
    );
    return { close: () => withPgliteSession(() => unsubscribe()) };
  }
  const pool = (dataSource.driver as unknown as { master: PgPool }).master;
  const client = new pool.Client({ ...pool.options });
  let lost = false;
  let closed = false;
  const lose = (error: Error) => {
    if (lost || closed) return;
    lost = true;
    clearInterval(heartbeat);
    void client.end().catch(() => undefined);
    onLost(error);
  };
  client.on('notification', (n) => {
    if (n.channel === channel) onNotify(n.payload ?? '');
  });
  client.on('error', (error) => lose(error ?? new Error('listener connection failed')));
  client.on('end', () => lose(new Error('listener connection ended')));
  const heartbeat = setInterval(() => {
    client.query('SELECT 1').catch((error: unknown) => lose(error as Error));
  }, heartbeatMs);
  heartbeat.unref();
  try {
    await client.connect();
    await client.query(`LISTEN ${channel}`);
  } catch (error) {
    closed = true;
    clearInterval(heartbeat);
    await client.end().catch(() => undefined);
    throw error;
  }
  return {
    close: async () => {
      closed = true;
      clearInterval(heartbeat);
      await client.end().catch(() => undefined);
    },
  };
}
