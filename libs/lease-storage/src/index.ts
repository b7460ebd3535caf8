export * from './lease-storage';
export * from './memory-lease-storage';
export * from './redis-lease-storage';
export * from './lease-storage.module';
