export * from './cron-expression';
export * from './rrule-text';
export * from './schedule.model';
export * from './schedule.parser';
export * from './schedule-dates';
export * from './wall-clock';
