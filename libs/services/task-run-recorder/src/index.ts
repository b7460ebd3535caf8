export * from './task-run-recorder.consumer';
export * from './task-run-recorder.module';
export * from './task-run-rows';
