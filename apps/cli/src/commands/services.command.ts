import {
  formatServicesTable,
  gatherServicesReport,
  runOrreryProcess,
  servicesReportJson,
} from '@orrery/server';
import { loadSettingsOrExit } from './settings';

export async function servicesStart(): Promise<void> {
  const settings = loadSettingsOrExit();
  await runOrreryProcess(settings, { api: false, selection: { kind: 'all-enabled' } });
}

export async function servicesList(flags: { output: 'table' | 'json' }): Promise<void> {
  const settings = loadSettingsOrExit();
  const rows = await gatherServicesReport(settings);
  console.log(
    flags.output === 'json'
      ? JSON.stringify(servicesReportJson(rows), null, 2)
      : formatServicesTable(rows, settings),
  );
}
