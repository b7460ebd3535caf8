export * from './poll-queue-not-found.error';
export * from './work-pools.module';
export * from './work-pools.service';
export * from './work-queues.service';
