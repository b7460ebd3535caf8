export * from './bus-tracing';
export * from './orrery-logger';
export * from './start-telemetry';
