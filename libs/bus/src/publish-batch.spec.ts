import { MemoryDedupeCache } from './memory-dedupe.cache';
import { preparePublish } from './publish-batch';

describe('preparePublish', () => {
  it('injects trace context without overriding the caller, and filters duplicates by attribute', async () => {
    const cache = new MemoryDedupeCache();
    const propagator = { inject: () => ({ traceparent: '00-aaaa-bbbb-01', other: 'x' }) };
    const prepared = await preparePublish(
      [
        { data: { n: 1 }, attributes: { id: 'e1' } },
        { data: { n: 2 }, attributes: { id: 'e1', traceparent: 'mine' } },
        { data: undefined },
      ],
      { dedupeBy: 'id' },
      cache,
      propagator,
    );
    expect(prepared.claimed).toEqual(['e1']);
    expect(prepared.send.map((m) => m.index)).toEqual([0, 2]);
    expect(JSON.parse(prepared.send[0]!.attributes)).toEqual({
      traceparent: '00-aaaa-bbbb-01',
      other: 'x',
      id: 'e1',
    });
    expect(prepared.send[1]!.data).toBe('null');

    const explicit = await preparePublish(
      [{ data: 1, attributes: { traceparent: 'mine' } }],
      undefined,
      cache,
      propagator,
    );
    expect(JSON.parse(explicit.send[0]!.attributes)).toMatchObject({ traceparent: 'mine' });
  });
});
