export * from './late-runs.module';
export * from './late-runs.service';
