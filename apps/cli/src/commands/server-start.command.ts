import { runOrreryProcess } from '@orrery/server';
import { loadSettingsOrExit } from './settings';

interface StartFlags {
  host?: string;
  port?: string;
  keepAliveTimeout?: string;
  logLevel?: string;
  services: boolean;
  scheduler?: boolean;
  lateRuns?: boolean;
  ui?: boolean;
  analyticsOn?: boolean;
  analyticsOff?: boolean;
}

const flag = (value: boolean | undefined): string | undefined =>
  value === undefined ? undefined : String(value);

export async function serverStart(flags: StartFlags): Promise<void> {
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
      !flags.services || flags.analyticsOff ? 'false' : flags.analyticsOn ? 'true' : undefined,
  });
  await runOrreryProcess(settings, {
    api: true,
    selection: flags.services ? { kind: 'all-enabled' } : { kind: 'none' },
  });
}
