import {
  apiWorkerIndex,
  checkRedisReachable,
  multiWorkerProblem,
  redisUrlsOf,
  reportApiWorkerReady,
  runOrreryProcess,
  superviseApiWorkers,
} from '@orrery/server';
import { loadSettingsOrExit } from './settings';

interface StartFlags {
  host?: string;
  port?: string;
  keepAliveTimeout?: string;
  logLevel?: string;
  services: boolean;
  workers: string;
  scheduler?: boolean;
  lateRuns?: boolean;
  ui?: boolean;
  analyticsOn?: boolean;
  analyticsOff?: boolean;
}

const flag = (value: boolean | undefined): string | undefined =>
  value === undefined ? undefined : String(value);

export async function serverStart(flags: StartFlags): Promise<void> {
  const workers = Number(flags.workers);
  const worker = apiWorkerIndex();
  // As upstream: more than one worker implies --no-services (run them with `server services start`).
  const services = flags.services && workers === 1 && worker === null;
  const settings = loadSettingsOrExit({
    PREFECT_SERVER_API_HOST: flags.host,
    PREFECT_SERVER_API_PORT: flags.port,
    PREFECT_SERVER_API_KEEPALIVE_TIMEOUT: flags.keepAliveTimeout,
    PREFECT_SERVER_LOGGING_LEVEL: flags.logLevel,
    PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED: flag(flags.scheduler),
    PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED: flag(flags.lateRuns),
    PREFECT_SERVER_UI_ENABLED: flag(flags.ui),
    // --no-services forces analytics off, as upstream does.
    PREFECT_SERVER_ANALYTICS_ENABLED:
      !services || flags.analyticsOff ? 'false' : flags.analyticsOn ? 'true' : undefined,
  });
  if (worker !== null) {
    await runOrreryProcess(settings, {
      api: true,
      selection: { kind: 'none' },
      print: (line) => process.stdout.write(`${line.replace(/^orrery: /, `orrery[worker ${worker}]: `)}\n`),
    });
    reportApiWorkerReady();
    return;
  }
  if (workers > 1) {
    const problem = multiWorkerProblem(settings, workers);
    if (problem !== null) {
      process.stderr.write(`orrery: ${problem}\n`);
      process.exit(1);
    }
    // Each worker would say it once: say it once here instead, before forking any.
    for (const url of redisUrlsOf(settings)) {
      const unreachable = await checkRedisReachable(url).then(
        () => null,
        (error: Error) => error.message,
      );
      if (unreachable !== null) {
        process.stderr.write(`orrery: ${unreachable}\n`);
        process.exit(1);
      }
    }
    await superviseApiWorkers({ workers });
    return;
  }
  await runOrreryProcess(settings, {
    api: true,
    selection: services ? { kind: 'all-enabled' } : { kind: 'none' },
  });
}
