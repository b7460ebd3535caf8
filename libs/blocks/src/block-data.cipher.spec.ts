import { BlockDataCipher } from './block-data.cipher';

describe('BlockDataCipher', () => {
  const cipher = new BlockDataCipher(BlockDataCipher.generateKey());

  it('round-trips data and never stores it in clear text', () => {
    const stored = cipher.encrypt({ value: 'hunter2' });
    expect(stored).not.toContain('hunter2');
    expect(stored).not.toBe(cipher.encrypt({ value: 'hunter2' }));
    expect(cipher.decrypt(stored)).toEqual({ value: 'hunter2' });
  });

  it('refuses another key and tampered values', () => {
    const stored = cipher.encrypt({ value: 'x' });
    expect(() => new BlockDataCipher(BlockDataCipher.generateKey()).decrypt(stored)).toThrow();
    const parts = stored.split(':');
    parts[3] = Buffer.from('tampered').toString('base64');
    expect(() => cipher.decrypt(parts.join(':'))).toThrow();
    expect(() => new BlockDataCipher('c2hvcnQ=')).toThrow(/32 bytes/);
  });
});
