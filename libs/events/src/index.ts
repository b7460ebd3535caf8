export * from './event.model';
export * from './event-validation.error';
export * from './event.validator';
export * from './event-limits.provider';
export * from './event.publisher';
export * from './events.module';
export * from './event-filter.matcher';
