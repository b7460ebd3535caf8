// tools/ha: the docker-compose HA topology as local processes on loopback, behind a real nginx.
//   node dist/tools/ha/src/main.js up [--port 4200] [--database-url URL] [--redis-db N]
//                                     [--replicas api=3,services=1] [--profile per-service] [--keep-dir]
//                                     [--own-servers]
import { startTopology, type TopologyOptions } from './topology';

const USAGE = `usage: node dist/tools/ha/src/main.js up [options]

Starts docker-compose.yml as local processes: migrate, the API replicas, the services replicas,
then nginx in front. Ctrl-C (or SIGTERM) stops everything, nginx first.

  --port N              nginx listens on 127.0.0.1:N (default 4200; 0 = any free port)
  --database-url URL    PostgreSQL database to use (default: a fresh orrery_ha_* database, dropped on exit)
  --redis-db N          Redis database number on 127.0.0.1:6379 (default 0)
  --replicas G=N,...    replica counts per group, e.g. api=3,services=1
  --profile NAME        include a compose profile (repeatable), e.g. per-service
  --keep-dir            keep logs and the generated nginx.conf after exit
  --own-servers         run a Redis and a PostgreSQL of its own on free ports (removed on exit)
                        instead of the machine's, so you can stop and restart them
`;

function parseArgs(argv: readonly string[]): TopologyOptions {
  const options: {
    port?: number;
    databaseUrl?: string;
    redisDb?: number;
    replicas?: Record<string, number>;
    profiles?: string[];
    keepDir?: boolean;
    ownServers?: boolean;
  } = { port: 4200 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--port':
        options.port = Number(value());
        break;
      case '--database-url':
        options.databaseUrl = value();
        break;
      case '--redis-db':
        options.redisDb = Number(value());
        break;
      case '--replicas':
        options.replicas = Object.fromEntries(
          value()
            .split(',')
            .map((pair) => {
              const [group, count] = pair.split('=');
              return [group, Number(count)];
            }),
        );
        break;
      case '--profile':
        options.profiles = [...(options.profiles ?? []), value()];
        break;
      case '--keep-dir':
        options.keepDir = true;
        break;
      case '--own-servers':
        options.ownServers = true;
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  return options;
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (command !== 'up') {
    process.stdout.write(USAGE);
    process.exit(command === '--help' || command === '-h' ? 0 : 2);
  }
  const log = (line: string): void => void process.stdout.write(`ha: ${line}\n`);
  const topology = await startTopology({ ...parseArgs(rest), log });
  log(`logs and generated nginx.conf in ${topology.dir}`);
  for (const [name] of topology.processes) {
    const info = topology.info(name);
    if (info.role !== 'job')
      log(`${name.padEnd(20)} ${info.role.padEnd(9)} pid ${info.pid}${info.url ? `  ${info.url}` : ''}`);
  }
  log(`API: ${topology.url}/api  (PREFECT_API_URL=${topology.url}/api)`);
  log(`database: ${topology.databaseUrl.replace(/\/\/[^@/]*@/, '//')}`);
  if (topology.servers !== null) log(`redis: redis://127.0.0.1:${topology.servers.redis.port}`);
  log('Ctrl-C stops everything');

  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    log('stopping');
    void topology.stop().then((report) => {
      const failed = Object.entries(report.exits).filter(([, e]) => e.code !== 0);
      for (const [name, e] of failed) log(`${name} exited with ${e.code ?? e.signal}`);
      if (report.leftovers.length > 0) log(`killed leftover pids ${report.leftovers.join(', ')}`);
      process.exit(failed.length === 0 && report.leftovers.length === 0 ? 0 : 1);
    });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  // Report a process that dies on its own (kill -9 from another shell, a crash) while up.
  for (const [name, child] of topology.processes) {
    if (topology.info(name).role === 'job') continue;
    child.once('exit', (code, signal) => {
      if (!stopping) log(`${name} exited with ${code ?? signal}`);
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`ha: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
