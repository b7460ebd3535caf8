export * from './concurrency-limit-events';
export * from './concurrency-limits.service';
export * from './concurrency.module';
export * from './python-float';
