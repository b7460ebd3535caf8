export * from './cron-expression';
export * from './rrule-text';
export * from './schedule.model';
export * from './schedule.parser';
