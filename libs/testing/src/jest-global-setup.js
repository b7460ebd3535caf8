// Runs once before the integration and end-to-end tiers: both need a real PostgreSQL and a real
// Redis. Fail fast with one clear line instead of a hundred connection timeouts.
const { Client } = require('pg');
const Redis = require('ioredis');

module.exports = async function globalSetup() {
  process.env.ORRERY_TEST_PG_URL ??= 'postgresql://postgres@127.0.0.1:5432/postgres';
  process.env.ORRERY_TEST_REDIS_URL ??= 'redis://127.0.0.1:6379/0';

  const pg = new Client({ connectionString: process.env.ORRERY_TEST_PG_URL, connectionTimeoutMillis: 5000 });
  try {
    await pg.connect();
    await pg.query('SELECT 1');
  } catch (error) {
    throw new Error(
      `integration tests need PostgreSQL at ${process.env.ORRERY_TEST_PG_URL}: ${error.message}`,
    );
  } finally {
    await pg.end().catch(() => undefined);
  }

  const redis = new Redis(process.env.ORRERY_TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`integration tests need Redis at ${process.env.ORRERY_TEST_REDIS_URL}: ${error.message}`);
  } finally {
    redis.disconnect();
  }
};
