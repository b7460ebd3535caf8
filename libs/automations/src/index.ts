export * from './automation.model';
export * from './firing.model';
export * from './triggered-action';
