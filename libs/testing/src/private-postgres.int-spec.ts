import { Client } from 'pg';
import { PrivatePostgres } from './private-postgres';

describe('PrivatePostgres', () => {
  it('serves on its own port, keeps committed data across a crash and a relaunch, and is gone after dispose', async () => {
    const server = await PrivatePostgres.start();
    try {
      const url = await server.createDatabase('orrery_private_test');
      const write = new Client({ connectionString: url });
      await write.connect();
      await write.query('CREATE TABLE t (v int)');
      await write.query('INSERT INTO t VALUES (42)');
      // A crash cuts off connected clients.
      const cut = new Promise<Error>((resolve) => write.once('error', resolve));
      await server.stop();
      expect(server.running).toBe(false);
      expect((await cut).message).toMatch(/terminat|ECONNRESET|shutdown/i);
      await write.end().catch(() => undefined);
      const refused = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
      await expect(refused.connect()).rejects.toThrow();
      await server.launch();
      const read = new Client({ connectionString: url });
      await read.connect();
      expect((await read.query('SELECT v FROM t')).rows).toEqual([{ v: 42 }]);
      await read.end();
    } finally {
      await server.dispose();
    }
    const gone = new Client({ connectionString: server.url(), connectionTimeoutMillis: 2000 });
    await expect(gone.connect()).rejects.toThrow();
  });
});
