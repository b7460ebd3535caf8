import { MIGRATION_LOCK_KEY } from './database-migrator';

describe('MIGRATION_LOCK_KEY', () => {
  it('is "ORRERY" followed by 0x0001, as a signed 64-bit integer PostgreSQL accepts', () => {
    const key = BigInt(MIGRATION_LOCK_KEY);
    expect(key).toBe(0x4f52524552590001n);
    expect(Buffer.from(key.toString(16).padStart(16, '0'), 'hex').subarray(0, 6).toString('latin1')).toBe(
      'ORRERY',
    );
    expect(key < 2n ** 63n).toBe(true);
  });
});
