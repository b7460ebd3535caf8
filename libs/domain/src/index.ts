export * from './instant';
export * from './state-type';
export * from './uuid';
export * from './state';
export * from './run-policy';
export * from './filters';
export * from './schedules';
export * from './connection-failure';
