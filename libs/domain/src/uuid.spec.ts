import { isUuid, uuid7 } from './uuid';

describe('uuid7', () => {
  it('mints valid version-7 ids that sort in creation order', () => {
    const ids = Array.from({ length: 5000 }, () => uuid7());
    for (const id of ids) {
      expect(isUuid(id)).toBe(true);
      expect(id[14]).toBe('7');
      expect('89ab').toContain(id[19]);
    }
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('encodes the millisecond timestamp', () => {
    const id = uuid7(Date.UTC(2026, 0, 1));
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.UTC(2026, 0, 1));
  });
});
