import type { TriggeringEvent } from '@orrery/automations';
import { uuid7 } from '@orrery/domain';
import {
  EventArrivedEarly,
  EventBeingProcessed,
  inCausalOrder,
  inCausalOrderOnceFree,
  type OrderingStore,
  passThrough,
} from './causal-ordering';
import { PRECEDING_EVENT_LOOKBACK_MS } from './trigger-logic';

const event = (follows: string | null, receivedAgoMs = 0): TriggeringEvent => {
  const at = new Date(Date.now() - receivedAgoMs).toISOString();
  return {
    id: uuid7(),
    occurred: at,
    received: at,
    event: 'x',
    resource: { 'prefect.resource.id': 'r' },
    related: [],
    payload: {},
    follows,
  };
};

/** Resolves when the store next refuses a claim (then stops watching). */
function refusedClaim(store: OrderingStore): Promise<void> {
  const claim = store.claim.bind(store);
  return new Promise((resolve) => {
    const spy = jest.spyOn(store, 'claim').mockImplementation(async (id) => {
      const taken = await claim(id);
      if (!taken) {
        spy.mockRestore();
        resolve();
      }
      return taken;
    });
  });
}

/** The §3.5 behaviour every OrderingStore must give (run against memory and Redis). */
export function causalOrderingContract(store: () => OrderingStore): void {
  it('evaluates a follower that arrives first after its leader', async () => {
    const handled: string[] = [];
    const handle = (e: TriggeringEvent) => Promise.resolve(void handled.push(e.id));
    const leader = event(null);
    const follower = event(leader.id);
    await expect(inCausalOrder(store(), follower, handle)).rejects.toBeInstanceOf(EventArrivedEarly);
    expect(handled).toEqual([]);
    await inCausalOrder(store(), leader, handle);
    expect(handled).toEqual([leader.id, follower.id]);
    expect(await store().seen(follower.id)).toBe(true);
  });

  it('proceeds at once when the leader was seen, or the event is older than the lookback', async () => {
    const handled: string[] = [];
    const handle = (e: TriggeringEvent) => Promise.resolve(void handled.push(e.id));
    const leader = event(null);
    await inCausalOrder(store(), leader, handle);
    const follower = event(leader.id);
    await inCausalOrder(store(), follower, handle);
    const old = event(uuid7(), PRECEDING_EVENT_LOOKBACK_MS + 1000);
    await inCausalOrder(store(), old, handle);
    expect(handled).toEqual([leader.id, follower.id, old.id]);
  });

  it('refuses an event another consumer is processing, and releases it on failure', async () => {
    const e = event(null);
    let release: () => void = () => undefined;
    const slow = inCausalOrder(store(), e, () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 20));
    await expect(inCausalOrder(store(), e, () => Promise.resolve())).rejects.toBeInstanceOf(
      EventBeingProcessed,
    );
    release();
    await slow;
    const failing = event(null);
    await expect(inCausalOrder(store(), failing, () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    await inCausalOrder(store(), failing, () => Promise.resolve());
  });

  it('waits for the consumer holding an event: nothing left to do once it completed the event', async () => {
    const e = event(null);
    const handled: string[] = [];
    let finish: () => void = () => undefined;
    const holder = inCausalOrder(store(), e, () => new Promise<void>((r) => (finish = r)));
    const refused = refusedClaim(store());
    const waiter = inCausalOrderOnceFree(store(), e, (x) => Promise.resolve(void handled.push(x.id)));
    await refused;
    finish();
    await Promise.all([holder, waiter]);
    expect(handled).toEqual([]);
    expect(await store().seen(e.id)).toBe(true);
  });

  it('evaluates an event whose holder died once its claim is gone, instead of refusing it', async () => {
    const e = event(null);
    const handled: string[] = [];
    expect(await store().claim(e.id)).toBe(true); // a replica killed while evaluating it
    const refused = refusedClaim(store());
    const waiter = inCausalOrderOnceFree(store(), e, (x) => Promise.resolve(void handled.push(x.id)));
    await refused;
    expect(handled).toEqual([]);
    await store().release(e.id); // as its TTL would
    await waiter;
    expect(handled).toEqual([e.id]);
    expect(await store().seen(e.id)).toBe(true);
  });

  it('ends the wait for a held event at once when aborted, leaving it unevaluated and its holder alone', async () => {
    const e = event(null);
    const handled: string[] = [];
    expect(await store().claim(e.id)).toBe(true); // another consumer's
    const refused = refusedClaim(store());
    const stopping = new AbortController();
    const waiter = inCausalOrderOnceFree(
      store(),
      e,
      (x) => Promise.resolve(void handled.push(x.id)),
      stopping.signal,
    );
    await refused;
    stopping.abort(new Error('stopping'));
    await expect(waiter).rejects.toThrow('stopping');
    expect(handled).toEqual([]);
    expect(await store().processing(e.id)).toBe(true);
    expect(await store().seen(e.id)).toBe(false);
  });

  it('ends the wait for an in-flight leader when aborted, releasing the follower for another consumer', async () => {
    const leader = event(null);
    const follower = event(leader.id);
    expect(await store().claim(leader.id)).toBe(true); // in flight elsewhere
    const stopping = new AbortController();
    const polled = new Promise<void>((resolve) => {
      const processing = store().processing.bind(store());
      jest.spyOn(store(), 'processing').mockImplementation((id) => {
        resolve();
        return processing(id);
      });
    });
    const waiter = inCausalOrder(store(), follower, () => Promise.resolve(), 0, Date.now, stopping.signal);
    await polled;
    jest.restoreAllMocks();
    stopping.abort(new Error('stopping'));
    await expect(waiter).rejects.toThrow('stopping');
    expect(await store().processing(follower.id)).toBe(false);
    await store().release(leader.id);
  });

  it('passes an uninteresting leader through: marked seen, its parked followers evaluated', async () => {
    const handled: string[] = [];
    const handle = (e: TriggeringEvent) => Promise.resolve(void handled.push(e.id));
    const leader = event(null);
    const follower = event(leader.id);
    await expect(inCausalOrder(store(), follower, handle)).rejects.toBeInstanceOf(EventArrivedEarly);
    await passThrough(store(), leader, handle);
    expect(handled).toEqual([follower.id]);
    expect(await store().seen(leader.id)).toBe(true);
  });

  it('hands out parked followers whose leader never came as lost, once', async () => {
    const lostLeader = uuid7();
    const parked = event(lostLeader);
    await expect(inCausalOrder(store(), parked, () => Promise.resolve())).rejects.toBeInstanceOf(
      EventArrivedEarly,
    );
    expect((await store().takeLost(Date.now() - 60_000)).map((e) => e.id)).not.toContain(parked.id);
    expect((await store().takeLost(Date.now() + 1000)).map((e) => e.id)).toContain(parked.id);
    expect((await store().takeLost(Date.now() + 1000)).map((e) => e.id)).not.toContain(parked.id);
  });
}
