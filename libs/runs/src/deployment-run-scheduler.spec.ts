import { Instant } from '@orrery/domain';
import type { SchedulableDeployment, SchedulerRepository } from '@orrery/persistence';
import { DeploymentRunScheduler, type SchedulingWindow } from './deployment-run-scheduler';

const start = Instant.parse('2030-01-10T12:00:30Z');
const window: SchedulingWindow = {
  start,
  end: start.plusSeconds(100 * 86400),
  minTimeSeconds: 3600,
  minRuns: 3,
  maxRuns: 100,
};
const deployment = (schedules: SchedulableDeployment['schedules']): SchedulableDeployment => ({
  id: 'd1',
  flowId: 'f1',
  version: '1.0',
  paused: false,
  workQueueName: 'default',
  workQueueId: 'q1',
  parameters: { a: 1, b: 2 },
  tags: ['prod'],
  labels: { team: 'x', 'prefect.flow.id': 'stale' },
  infrastructureDocumentId: null,
  schedules,
});
const scheduler = new DeploymentRunScheduler({} as SchedulerRepository);

describe('DeploymentRunScheduler.generate', () => {
  it('time windows beat counts: an hourly schedule covers at least an hour, a monthly one gets ~3 runs', () => {
    const hourly = scheduler.generate(
      deployment([
        {
          id: 's1',
          schedule: { interval: 600, anchor_date: '2030-01-01T00:00:00Z', timezone: 'UTC' },
          parameters: {},
          slug: null,
        },
      ]),
      window,
    );
    // 12:10 … 13:10: seven runs, the last at or past start + 1 h.
    expect(hourly.map((r) => r.scheduledTime.toISOString().slice(11, 16))).toEqual([
      '12:10',
      '12:20',
      '12:30',
      '12:40',
      '12:50',
      '13:00',
      '13:10',
    ]);
    const monthly = scheduler.generate(
      deployment([
        {
          id: 's2',
          schedule: { cron: '0 0 1 * *', timezone: 'UTC', day_or: true },
          parameters: {},
          slug: null,
        },
      ]),
      window,
    );
    expect(monthly.map((r) => r.scheduledTime.toISOString().slice(0, 10))).toEqual([
      '2030-02-01',
      '2030-03-01',
      '2030-04-01',
    ]);
    // At most MAX_RUNS dates, whatever the windows say.
    const capped = scheduler.generate(
      deployment([
        {
          id: 's3',
          schedule: { interval: 1, anchor_date: '2030-01-01T00:00:00Z', timezone: 'UTC' },
          parameters: {},
          slug: null,
        },
      ]),
      { ...window, maxRuns: 10 },
    );
    expect(capped).toHaveLength(10);
  });

  it('copies the deployment, merges schedule parameters and keys each run by schedule and local date', () => {
    const [run] = scheduler.generate(
      deployment([
        {
          id: 's4',
          schedule: { cron: '0 9 * * *', timezone: 'Europe/Berlin', day_or: true },
          parameters: { b: 3 },
          slug: 'morning',
        },
      ]),
      window,
    );
    expect(run).toMatchObject({
      flowId: 'f1',
      deploymentId: 'd1',
      deploymentVersion: '1.0',
      workQueueName: 'default',
      workQueueId: 'q1',
      parameters: { a: 1, b: 3 },
      tags: ['auto-scheduled', 'prod'],
      labels: { team: 'x', 'prefect.flow.id': 'f1', 'prefect.deployment.id': 'd1' },
      autoScheduled: true,
      createdBy: { id: 's4', type: 'SCHEDULE', display_value: 'morning' },
      idempotencyKey: 'scheduled d1 s4 2030-01-11 09:00:00+01:00',
      stateMessage: 'Flow run scheduled',
    });
    expect(run!.scheduledTime.toISOString()).toBe('2030-01-11T08:00:00.000000Z');
    expect(run!.id).not.toBe(run!.stateId);
  });
});
