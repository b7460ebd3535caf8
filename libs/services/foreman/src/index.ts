export * from './foreman.module';
export * from './foreman.service';
