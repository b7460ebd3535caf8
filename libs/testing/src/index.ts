export * from './contract';
export * from './redis';
