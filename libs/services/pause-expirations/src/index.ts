export * from './pause-expirations.module';
export * from './pause-expirations.service';
