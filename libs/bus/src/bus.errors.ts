/** Thrown by InMemoryBus.publish when a topic stayed full for publishTimeoutMs (consumers too slow). */
export class BusBackpressureError extends Error {
  constructor(topic: string, waitedMs: number) {
    super(`topic ${topic} stayed full for ${waitedMs} ms: its consumers are not keeping up`);
    this.name = 'BusBackpressureError';
  }
}
