/** PostgreSQL enum types besides state_type (which lives in @orrery/domain). */
export const DEPLOYMENT_STATUSES = ['READY', 'NOT_READY'] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

export const WORK_POOL_STATUSES = ['READY', 'NOT_READY', 'PAUSED'] as const;
export type WorkPoolStatus = (typeof WORK_POOL_STATUSES)[number];

export const WORK_QUEUE_STATUSES = ['READY', 'NOT_READY', 'PAUSED'] as const;
export type WorkQueueStatus = (typeof WORK_QUEUE_STATUSES)[number];

export const WORKER_STATUSES = ['ONLINE', 'OFFLINE'] as const;
export type WorkerStatus = (typeof WORKER_STATUSES)[number];
