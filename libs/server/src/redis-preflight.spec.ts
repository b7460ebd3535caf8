import { describeRedisConnectionError } from './redis-preflight';

describe('describeRedisConnectionError', () => {
  it('names host:port and why, in one line, without the password', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:6380'), { code: 'ECONNREFUSED' });
    expect(describeRedisConnectionError(refused, 'redis://:s3cret@10.0.0.5:6380/0')).toBe(
      'cannot connect to Redis at 10.0.0.5:6380: connection refused',
    );
    expect(
      describeRedisConnectionError(new Error('WRONGPASS invalid username-password pair'), 'redis://r'),
    ).toBe('cannot connect to Redis at r:6379: authentication failed');
    expect(
      describeRedisConnectionError(new Error('ERR oops s3cret\nmore'), 'redis://:s3cret@cache:7000'),
    ).toBe('cannot connect to Redis at cache:7000: ERR oops ***');
  });
});
