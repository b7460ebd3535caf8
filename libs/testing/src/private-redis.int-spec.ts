import Redis from 'ioredis';
import { PrivateRedis } from './private-redis';

describe('PrivateRedis', () => {
  it('serves on its own port, survives a stop and a relaunch, and is gone after dispose', async () => {
    const server = await PrivateRedis.start();
    const client = new Redis(server.url(3), { maxRetriesPerRequest: 1 });
    try {
      await client.set('k', 'v');
      expect(await client.get('k')).toBe('v');
      await server.stop();
      expect(server.running).toBe(false);
      await server.launch();
      expect(await client.get('k')).toBeNull();
    } finally {
      client.disconnect();
      await server.dispose();
    }
    const probe = new Redis(server.url(), {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    await expect(probe.connect()).rejects.toThrow();
    probe.disconnect();
  });

  it('keeps acknowledged writes across a kill when started with append-only persistence', async () => {
    const server = await PrivateRedis.start({ serverArgs: ['--appendonly', 'yes'] });
    const client = new Redis(server.url(), { maxRetriesPerRequest: 1 });
    try {
      await client.xadd('s', '*', 'k', 'v');
      await server.stop();
      await server.launch();
      expect(await client.xlen('s')).toBe(1);
    } finally {
      client.disconnect();
      await server.dispose();
    }
  });
});
