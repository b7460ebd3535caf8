export * from './event-logger.consumer';
export * from './event-logger.module';
