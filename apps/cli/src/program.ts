import { Command, InvalidArgumentError, Option } from 'commander';
import { automationTest } from './commands/automation.command';
import { blocksRotateKey } from './commands/blocks.command';
import { databaseDowngrade, databaseReset, databaseUpgrade } from './commands/database.command';
import { servicesList, servicesStart } from './commands/services.command';
import { serverStart } from './commands/server-start.command';

function positiveInteger(value: string): string {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError('Number of workers must be >= 1');
  return value;
}

function port(value: string): string {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 65535) {
    throw new InvalidArgumentError('expected an integer between 1 and 65535');
  }
  return value;
}

/** The command tree, with Prefect's names, flags and defaults (spec-services-events-ha §8). */
export function buildProgram(): Command {
  const program = new Command('orrery')
    .description('Orrery: a highly available orchestration server that speaks the Prefect 3 REST API')
    .showHelpAfterError()
    .configureHelp({ sortSubcommands: false });

  const server = program.command('server').description('Run and manage the Orrery server');

  server
    .command('start')
    .description('Start the API server (and, unless --no-services, the background services)')
    .option('--host <host>', 'interface to listen on (default: PREFECT_SERVER_API_HOST or 127.0.0.1)')
    .option('--port <port>', 'port to listen on (default: PREFECT_SERVER_API_PORT or 4200)', port)
    .option(
      '--keep-alive-timeout <seconds>',
      'HTTP keep-alive timeout (default: PREFECT_SERVER_API_KEEPALIVE_TIMEOUT)',
    )
    .addOption(
      new Option('--log-level <level>', 'server logging level').choices([
        'DEBUG',
        'INFO',
        'WARNING',
        'ERROR',
        'CRITICAL',
      ]),
    )
    .option('--no-services', 'run only the API (webserver-only mode for HA deployments)')
    .option(
      '--workers <n>',
      'number of API worker processes sharing the port (N > 1 implies --no-services and needs PostgreSQL and Redis)',
      positiveInteger,
      '1',
    )
    .option('--scheduler', 'run the scheduler service')
    .option('--no-scheduler', 'do not run the scheduler service')
    .option('--late-runs', 'run the late-runs service')
    .option('--no-late-runs', 'do not run the late-runs service')
    .option('--ui', 'serve the UI settings')
    .option('--no-ui', 'do not serve the UI')
    .option('--analytics-on', 'enable analytics')
    .option('--analytics-off', 'disable analytics')
    .action(serverStart);

  const services = server.command('services').description('Run or inspect the background services');
  services
    .command('start')
    .alias('enable')
    .description('Start every background service enabled in this environment (no API)')
    .action(servicesStart);
  services
    .command('ls')
    .alias('list')
    .description('List every service (stream consumers and periodic), its enable variable and state')
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'),
    )
    .action(servicesList);

  const database = server.command('database').description('Manage the database schema');
  database
    .command('upgrade')
    .description('Apply migrations (holds a PostgreSQL advisory lock: concurrent runs are safe)')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('-r, --revision <revision>', 'migration to upgrade to', 'head')
    .action(databaseUpgrade);
  database
    .command('downgrade')
    .description('Revert migrations')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('-r, --revision <revision>', 'migration to downgrade to, or -N to revert N migrations', '-1')
    .action(databaseDowngrade);
  database
    .command('reset')
    .description('Drop every table and re-apply all migrations (destroys all data)')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(databaseReset);

  const automation = program.command('automation').description('Inspect automations (Orrery only)');
  automation
    .command('test <automation>')
    .description(
      'Replay stored events through an automation (id or name) without acting: matching events, bucket counts, and when it would have fired',
    )
    .option('--since <duration>', 'how far back to replay (90s, 30m, 24h, 7d)', '24h')
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'),
    )
    .action(automationTest);
  const blocks = server.command('blocks').description('Manage block document data');
  blocks
    .command('rotate-key')
    .description(
      'Re-encrypt every block document with PREFECT_SERVER_BLOCKS_ENCRYPTION_KEY[_FILE] (then no key stays in the database), or with a fresh database-kept key when neither is set',
    )
    .option('-y, --yes', 'do not ask for confirmation')
    .option(
      '--previous-key-file <path>',
      'a file with a key the data may still be encrypted with (repeatable; the database key is always tried)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .action(blocksRotateKey);

  return program;
}
