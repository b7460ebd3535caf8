export * from './db-vacuum.module';
export * from './db-vacuum.service';
