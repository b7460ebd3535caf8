export * from './event-persister.consumer';
export * from './event-persister.module';
