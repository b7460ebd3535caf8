import { compareStreamIds, minStreamId, streamIdMillis } from './stream-id';

describe('stream ids', () => {
  it('compare numerically by milliseconds, then sequence', () => {
    expect(compareStreamIds('1700000000000-1', '1700000000000-10')).toBe(-1);
    expect(compareStreamIds('999-5', '1000-0')).toBe(-1);
    expect(compareStreamIds('1000-0', '1000-0')).toBe(0);
    expect(compareStreamIds('18446744073709551615-0', '9-0')).toBe(1);
    expect(minStreamId('5-2', '5-1')).toBe('5-1');
    expect(streamIdMillis('1700000000123-7')).toBe(1700000000123);
  });
});
