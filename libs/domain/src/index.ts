export * from './instant';
export * from './state-type';
export * from './uuid';
export * from './filters';
