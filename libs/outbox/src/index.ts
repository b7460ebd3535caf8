export * from './outbox.module';
export * from './outbox.options';
export * from './outbox.publisher';
export * from './outbox.relay';
