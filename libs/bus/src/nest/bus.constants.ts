/** Injection token of the plain options given to BusModule.forRoot. */
export const BUS_OPTIONS = Symbol('orrery:bus-options');

/** Metadata key written by @OnStreamMessage on a handler method. */
export const ON_STREAM_MESSAGE = 'orrery:on-stream-message';
