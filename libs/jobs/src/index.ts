export * from './job.types';
export * from './job-runner';
export * from './in-process-job-runner';
export * from './bullmq-job-runner';
