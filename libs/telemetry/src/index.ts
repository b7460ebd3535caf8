export * from './bus-tracing';
export * from './instruments';
export * from './metrics';
export * from './orrery-logger';
export * from './start-telemetry';
export * from './spans';
