export * from './contract';
export * from './redis';
export * from './private-redis';
export * from './database';
export * from './process';
export * from './api-app';
export * from './sdk-events';
export * from './raw-http';
