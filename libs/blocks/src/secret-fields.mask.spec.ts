import { maskSecretFields, restoreObfuscatedSecrets } from './secret-fields.mask';

describe('maskSecretFields', () => {
  it('masks top-level, dotted and wildcard paths and leaves the input untouched', () => {
    const data = {
      value: 's3cr3t',
      connection_info: { password: 'pw', user: 'u' },
      secrets: { a: '1', b: '2' },
    };
    expect(maskSecretFields(data, ['value', 'connection_info.password', 'secrets.*'])).toEqual({
      value: '********',
      connection_info: { password: '********', user: 'u' },
      secrets: { a: '********', b: '********' },
    });
    expect(data.value).toBe('s3cr3t');
  });

  it('leaves absent paths, nulls and non-object parents alone', () => {
    expect(maskSecretFields({ a: null, b: 'x' }, ['a', 'missing', 'b.c'])).toEqual({ a: null, b: 'x' });
  });
});

describe('restoreObfuscatedSecrets', () => {
  it('keeps stored secrets where the update posts back ********, and takes real new values', () => {
    const current = { url: 'https://hooks/x', secrets: { a: '1', b: '2' }, other: 'o' };
    const update = { url: '********', secrets: { a: '********', b: 'new' }, other: '********' };
    expect(restoreObfuscatedSecrets(update, current, ['url', 'secrets.*'])).toEqual({
      url: 'https://hooks/x',
      secrets: { a: '1', b: 'new' },
      other: '********',
    });
  });
});
