export * from './orrery-logger';
