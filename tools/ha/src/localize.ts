import type { PlannedProcess } from './compose';

/** Where the compose host names point on this machine. Everything is loopback. */
export interface LocalTargets {
  /** postgresql:// URL of the database every process uses (replaces any URL on a postgres host). */
  readonly databaseUrl: string;
  /** redis://host:port of the local Redis (no database number). */
  readonly redisServer: string;
  /** The Redis database number every Redis URL is rewritten to. */
  readonly redisDb: number;
  readonly postgresHosts: readonly string[];
  readonly redisHosts: readonly string[];
  /** The host port nginx publishes in compose, and the local port it listens on instead. */
  readonly publishedPort: number;
  readonly listenPort: number;
  /** Local HTTP port of each API replica, by compose service name. */
  readonly apiPorts: ReadonlyMap<string, number>;
}

function tryUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/**
 * One environment value with compose host names rewritten: a URL on a PostgreSQL service becomes the
 * local database URL (keeping the compose scheme, e.g. `postgresql+asyncpg:`, so the same parsing
 * path runs), a URL on a Redis service becomes the local Redis with the chosen database number, and
 * the public `localhost:<published port>` becomes nginx's local address.
 */
export function localizeValue(value: string, targets: LocalTargets): string {
  const url = tryUrl(value);
  if (url !== null && targets.postgresHosts.includes(url.hostname)) {
    const local = new URL(targets.databaseUrl);
    return `${url.protocol}${targets.databaseUrl.slice(local.protocol.length)}`;
  }
  if (url !== null && targets.redisHosts.includes(url.hostname)) {
    return `${targets.redisServer.replace(/\/+$/, '')}/${targets.redisDb}`;
  }
  return value.replace(
    new RegExp(`\\b(localhost|127\\.0\\.0\\.1):${targets.publishedPort}\\b`, 'g'),
    `127.0.0.1:${targets.listenPort}`,
  );
}

/** The environment of one local process: compose's, rewritten, plus its own PREFECT_HOME and API address. */
export function localEnvironment(
  process: PlannedProcess,
  targets: LocalTargets,
  home: string,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.environment)) env[key] = localizeValue(value, targets);
  // Each container has its own filesystem; locally each process gets its own home directory.
  env.PREFECT_HOME = home;
  const port = targets.apiPorts.get(process.name);
  if (port !== undefined) {
    // Loopback only, whatever the container binds (0.0.0.0 inside a container is its own network).
    env.PREFECT_SERVER_API_HOST = '127.0.0.1';
    env.PREFECT_SERVER_API_PORT = String(port);
  }
  return env;
}

/**
 * The argv of one local process: the image's `node` becomes this Node.js, paths stay relative to the
 * repository (the image's WORKDIR has the same layout), and an API replica's --host/--port become
 * 127.0.0.1 and its own free port.
 */
export function localArgv(process: PlannedProcess, targets: LocalTargets, nodePath: string): string[] {
  const argv = process.argv.map((arg, i) => (i === 0 && arg === 'node' ? nodePath : arg));
  const port = targets.apiPorts.get(process.name);
  if (port === undefined) return argv;
  const set = (flag: string, value: string): void => {
    const at = argv.indexOf(flag);
    if (at >= 0 && at + 1 < argv.length) argv[at + 1] = value;
    else if (argv.includes('start')) argv.push(flag, value);
  };
  set('--host', '127.0.0.1');
  set('--port', String(port));
  return argv;
}

export interface NginxPaths {
  /** Directory for pid, logs and temp files. */
  readonly dir: string;
}

/**
 * The local nginx config generated from deploy/nginx/nginx.conf: upstream `server <service>:<port>`
 * lines become one `server 127.0.0.1:<port>` line per local replica of that service's group and set of
 * parameters (keeping max_fails/fail_timeout/backup, dropping `resolve`), `listen` becomes 127.0.0.1:<listen port>, pid, logs
 * and temp paths move into `dir`, and `user` and `resolver` (container concerns) are dropped.
 */
export function localNginxConfig(
  source: string,
  targets: LocalTargets,
  groupOf: (name: string) => string,
  paths: NginxPaths,
): string {
  const out: string[] = [];
  const emittedGroups = new Set<string>();
  let inUpstream = false;
  for (const line of source.split('\n')) {
    const trimmed = line.trim();
    if (/^upstream\s+\S+\s*\{/.test(trimmed)) {
      inUpstream = true;
      emittedGroups.clear();
    } else if (inUpstream && trimmed === '}') {
      inUpstream = false;
    }
    const indent = /^\s*/.exec(line)?.[0] ?? '';
    const directive = /^([a-z_]+)\s+([^;]*);/.exec(trimmed);
    if (directive === null) {
      out.push(line);
      if (/^http\s*\{/.test(trimmed)) {
        // Temp paths compiled into the distribution's nginx may not be writable: keep all of them here.
        for (const kind of ['fastcgi', 'uwsgi', 'scgi'])
          out.push(`${indent}    ${kind}_temp_path ${paths.dir}/${kind}_temp;`);
      }
      continue;
    }
    const [, name, args] = directive;
    if (name === 'user' || name === 'resolver') continue;
    if (name === 'pid') {
      out.push(`${indent}pid ${paths.dir}/nginx.pid;`);
    } else if (name === 'error_log') {
      out.push(`${indent}error_log ${paths.dir}/error.log${args.replace(/^\S+/, '')};`);
    } else if (name === 'access_log') {
      out.push(`${indent}access_log ${paths.dir}/access.log${args.replace(/^\S+/, '')};`);
    } else if (name === 'client_body_temp_path' || name === 'proxy_temp_path') {
      out.push(`${indent}${name} ${paths.dir}/${name.replace(/_path$/, '')};`);
    } else if (name === 'listen') {
      out.push(`${indent}listen 127.0.0.1:${targets.listenPort}${args.replace(/^\S+/, '')};`);
    } else if (name === 'server' && inUpstream) {
      const [address, ...params] = args.split(/\s+/);
      const host = address.replace(/:\d+$/, '');
      const group = groupOf(host);
      const replicas = [...targets.apiPorts].filter(([n]) => groupOf(n) === group);
      if (replicas.length === 0)
        throw new Error(`nginx upstream server ${address}: no local replica of ${group}`);
      const kept = params.filter((p) => p !== 'resolve');
      // One set of lines per group and parameters: the primaries, then e.g. the `backup` entries.
      const key = `${group} ${kept.join(' ')}`;
      if (emittedGroups.has(key)) continue;
      emittedGroups.add(key);
      for (const [, port] of replicas)
        out.push(`${indent}server ${['127.0.0.1:' + port, ...kept].join(' ')};`);
    } else {
      out.push(line);
    }
  }
  return out.join('\n');
}
