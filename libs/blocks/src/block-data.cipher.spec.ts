import { BlockDataCipher, blockKeyId } from './block-data.cipher';

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

  it('writes v2 values naming an external key, and reads older values with the keys it is given', () => {
    const databaseKey = BlockDataCipher.generateKey();
    const externalKey = BlockDataCipher.generateKey();
    const old = new BlockDataCipher(databaseKey).encrypt({ value: 'old' });
    expect(old.startsWith('v1:')).toBe(true);
    const current = new BlockDataCipher(externalKey, { external: true, readKeys: [databaseKey] });
    const written = current.encrypt({ value: 'new' });
    expect(written.startsWith(`v2:${blockKeyId(externalKey)}:`)).toBe(true);
    expect(current.decrypt(old)).toEqual({ value: 'old' });
    expect(current.decrypt(written)).toEqual({ value: 'new' });
    expect(() => new BlockDataCipher(databaseKey).decrypt(written)).toThrow(
      `encrypted with key ${blockKeyId(externalKey)}, which this process does not have`,
    );
  });
});
