// Scheduler benchmark (issue 5): time for the scheduler service to fill N deployments (default 1 000),
// each with one active interval schedule, on a scratch PostgreSQL database — from the service's start
// until no deployment is short of runs any more. Runs the real SchedulerModule (both loops, the
// in-process job driver) in this process; prints the fill time, runs inserted and runs/s, then the
// time of one steady-state tick (nothing to do). Asserts nothing. Goal: < 10 s for 1 000 deployments.
//
//   npm run bench:scheduler -- [--deployments 1000] [--interval 60] \
//        [--pg postgresql://postgres@127.0.0.1:5432/postgres]
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BusModule } from '@orrery/bus';
import { loadSettings, SettingsModule } from '@orrery/config';
import { Instant, scheduleDates } from '@orrery/domain';
import { JobsModule } from '@orrery/jobs';
import { OutboxModule } from '@orrery/outbox';
import {
  createDataSource,
  DatabaseMigrator,
  PersistenceModule,
  SchedulerRepository,
} from '@orrery/persistence';
import { SchedulerModule, SchedulerService } from '@orrery/scheduler';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { fmt, parseArgs } from './bench-support';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const deployments = Number(args['deployments'] ?? 1000);
  const interval = Number(args['interval'] ?? 60);
  const serverUrl = args['pg'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const name = `orrery_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    const dataSource = createDataSource({ kind: 'postgres', url: url.toString() });
    await dataSource.initialize();
    await new DatabaseMigrator(dataSource).upgrade();
    // N deployments of one flow, each with one active interval schedule anchored a while ago.
    await dataSource.query(`INSERT INTO flow (name) VALUES ('bench-scheduler')`);
    await dataSource.query(
      `INSERT INTO deployment (name, flow_id, tags, parameters, labels)
       SELECT 'deployment-' || i, (SELECT id FROM flow), '["bench"]', '{"x": 1}', '{}'
       FROM generate_series(1, $1) AS i`,
      [deployments],
    );
    await dataSource.query(
      `INSERT INTO deployment_schedule (deployment_id, schedule, active, parameters)
       SELECT id, jsonb_build_object('interval', $1::float, 'anchor_date', '2026-01-01T00:00:00.000000Z',
         'timezone', 'UTC'), true, '{}'
       FROM deployment`,
      [interval],
    );
    // Created "long ago", so only the main loop (not the recent-deployments one) finds them.
    await dataSource.query(`UPDATE deployment SET updated = now() - interval '1 day'`);
    await dataSource.query('ANALYZE');
    await dataSource.destroy();

    const settings = loadSettings({ PREFECT_HOME: '/tmp' });
    @Module({
      imports: [
        SettingsModule.forRoot(settings),
        PersistenceModule.forRoot({ kind: 'postgres', url: url.toString(), poolSize: 5 }),
        BusModule.forRoot({ driver: 'memory' }),
        JobsModule.forRoot({ driver: 'in-process' }),
        OutboxModule.forRoot(),
        SchedulerModule,
      ],
    })
    class Root {}
    const probe = new Client({ connectionString: url.toString() });
    await probe.connect();
    const started = performance.now();
    const app = await NestFactory.createApplicationContext(Root, { logger: ['error', 'warn'] });
    await app.init();
    const repository = app.get(SchedulerRepository);
    const { minRuns, minScheduledTime } = settings.server.services.scheduler;
    const short = async () => {
      const now = Instant.now();
      return (
        await repository.deploymentsToSchedule({
          afterId: null,
          limit: 1,
          now,
          minRuns,
          minScheduledUntil: now.plusSeconds(minScheduledTime),
        })
      ).length;
    };
    for (;;) {
      if ((await short()) === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const fillMs = performance.now() - started;
    const runs = Number(
      ((await probe.query('SELECT count(*) AS n FROM flow_run')).rows[0] as { n: string }).n,
    );
    const tickStarted = performance.now();
    await app.get(SchedulerService).scheduleDeployments();
    const tickMs = performance.now() - tickStarted;
    await app.close();
    await probe.end();
    console.log(
      `scheduler fill: ${deployments} deployments (interval ${interval} s) in ${fmt(fillMs / 1000, 2)} s ` +
        `(goal < 10 s, ratio ${fmt(fillMs / 10_000, 2)}), ${runs} runs, ${fmt((runs / fillMs) * 1000, 0)} runs/s`,
    );
    console.log(`steady-state main-loop tick (nothing short): ${fmt(tickMs, 1)} ms`);
    // An RRULE whose DTSTART lies six years before the window (was a 1 s bound in a unit test).
    const rruleStarted = performance.now();
    scheduleDates(
      { rrule: 'DTSTART:20200101T000000\nRRULE:FREQ=MINUTELY;INTERVAL=7', timezone: 'UTC' },
      { start: Instant.parse('2026-06-01T00:00:00Z'), end: null, n: 3 },
    );
    console.log(
      `three dates of a minutely RRULE six years past its DTSTART: ${fmt(performance.now() - rruleStarted, 1)} ms (goal < 1000 ms)`,
    );
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
