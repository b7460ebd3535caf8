import { assertTestDatabaseName } from './database';

describe('assertTestDatabaseName', () => {
  it('accepts throw-away test databases', () => {
    expect(() => assertTestDatabaseName('orrery_test_0a1b2c')).not.toThrow();
  });

  it.each(['postgres', 'prefect', 'orrery'])('refuses %s', (name) => {
    expect(() => assertTestDatabaseName(name)).toThrow(/refusing to touch database/);
  });
});
