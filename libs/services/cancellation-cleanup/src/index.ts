export * from './cancellation-cleanup.module';
export * from './cancellation-cleanup.service';
