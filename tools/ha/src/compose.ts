import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * The part of a docker-compose service tools/ha understands. Anything else in the file (volumes,
 * healthchecks, restart policies) describes containers and has no local meaning.
 */
export interface ComposeService {
  readonly image?: string;
  readonly build?: unknown;
  readonly command?: string | readonly string[];
  readonly entrypoint?: string | readonly string[];
  readonly environment?: Readonly<Record<string, string | number | boolean | null>> | readonly string[];
  readonly depends_on?: readonly string[] | Readonly<Record<string, { condition?: string } | null>>;
  readonly profiles?: readonly string[];
  readonly ports?: readonly (string | number | { target?: number; published?: number | string })[];
  readonly volumes?: readonly (string | { source?: string; target?: string })[];
  readonly restart?: string;
}

export interface ComposeFile {
  readonly services: Readonly<Record<string, ComposeService>>;
}

/** What a compose service becomes locally. Databases and Redis are not started: they map to local servers. */
export type ServiceKind = 'orrery' | 'nginx' | 'postgres' | 'redis';

/**
 * - `job`: runs to completion (migrate); dependents wait for exit 0.
 * - `api`: serves HTTP (`server start`, or the api-gateway entry point); gets a free loopback port.
 * - `services`: background services only.
 * - `nginx`: the load balancer.
 */
export type ProcessRole = 'job' | 'api' | 'services' | 'nginx';

export type DependencyCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

export interface PlannedProcess {
  readonly name: string;
  /** The replica group: `api-2` → `api`; a name without a numeric suffix is its own group. */
  readonly group: string;
  readonly role: ProcessRole;
  /** The container's argv: entrypoint (the image's by default) followed by command. */
  readonly argv: readonly string[];
  /** Environment exactly as compose gives it (host names not yet rewritten). */
  readonly environment: Readonly<Record<string, string>>;
  /** Other planned processes this one waits for (infrastructure services left out). */
  readonly dependsOn: ReadonlyMap<string, DependencyCondition>;
  /** Start order: 0 first; every dependency has a lower level. */
  readonly level: number;
  /** For nginx: its config file (host path, relative to the compose file) and port mapping. */
  readonly nginx?: { readonly configPath: string; readonly containerPort: number; readonly hostPort: number };
}

export interface TopologyPlan {
  /** In start order (level, then role: job, api, services, nginx, then name). */
  readonly processes: readonly PlannedProcess[];
  /** Compose service names that are PostgreSQL / Redis (host names to rewrite). */
  readonly postgresHosts: readonly string[];
  readonly redisHosts: readonly string[];
  /** The Redis service's redis-server options (its `command` after `redis-server`), e.g. `--appendonly yes`. */
  readonly redisServerArgs: readonly string[];
}

export interface PlanOptions {
  /** Replica count per group, e.g. `{ api: 3, services: 1 }`; groups not named keep the file's count. */
  readonly replicas?: Readonly<Record<string, number>>;
  /** Compose profiles to include; services with a `profiles` key are skipped otherwise (as compose does). */
  readonly profiles?: readonly string[];
  /** The image's ENTRYPOINT, used when a service does not set `entrypoint` (see dockerfileEntrypoint). */
  readonly imageEntrypoint: readonly string[];
}

export function readComposeFile(path: string): ComposeFile {
  // merge: compose files share definitions through `<<: *anchor` merge keys (YAML 1.1).
  const document: unknown = parse(readFileSync(path, 'utf8'), { merge: true });
  if (typeof document !== 'object' || document === null || !('services' in document)) {
    throw new Error(`${path}: no services`);
  }
  return document as ComposeFile;
}

/** `ENTRYPOINT ["node", "bin/orrery"]` (exec form) of a Dockerfile's last stage. */
export function dockerfileEntrypoint(dockerfile: string): string[] {
  const lines = dockerfile.split('\n').filter((l) => /^\s*ENTRYPOINT\s/i.test(l));
  const last = lines.at(-1);
  if (last === undefined) throw new Error('the Dockerfile has no ENTRYPOINT');
  const parsed: unknown = JSON.parse(last.replace(/^\s*ENTRYPOINT\s+/i, ''));
  if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string')) {
    throw new Error(`ENTRYPOINT must use the exec form (a JSON array): ${last.trim()}`);
  }
  return parsed as string[];
}

export function serviceKind(name: string, service: ComposeService): ServiceKind {
  const image = service.image ?? '';
  if (service.build !== undefined || /^orrery(:|$)/.test(image)) return 'orrery';
  if (/^nginx(:|$)/.test(image)) return 'nginx';
  if (/^postgres(:|$)/.test(image)) return 'postgres';
  if (/^redis(:|$)/.test(image)) return 'redis';
  throw new Error(
    `compose service ${name}: tools/ha does not know how to run image ${JSON.stringify(image)}`,
  );
}

export function groupOf(name: string): string {
  return name.replace(/-\d+$/, '');
}

function replicaNumber(name: string): number {
  const match = /-(\d+)$/.exec(name);
  return match === null ? 0 : Number(match[1]);
}

function words(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? value.trim().split(/\s+/).filter(Boolean) : [...value];
}

function environmentOf(service: ComposeService): Record<string, string> {
  const env: Record<string, string> = {};
  const raw = service.environment;
  if (raw === undefined) return env;
  if (Array.isArray(raw)) {
    for (const entry of raw as readonly string[]) {
      const at = entry.indexOf('=');
      if (at > 0) env[entry.slice(0, at)] = entry.slice(at + 1);
    }
    return env;
  }
  for (const [key, value] of Object.entries(raw as Record<string, string | number | boolean | null>)) {
    if (value !== null) env[key] = String(value);
  }
  return env;
}

function dependenciesOf(service: ComposeService): Map<string, DependencyCondition> {
  const deps = new Map<string, DependencyCondition>();
  const raw = service.depends_on;
  if (raw === undefined) return deps;
  if (Array.isArray(raw)) {
    for (const name of raw as readonly string[]) deps.set(name, 'service_started');
    return deps;
  }
  for (const [name, spec] of Object.entries(raw as Record<string, { condition?: string } | null>)) {
    deps.set(name, (spec?.condition ?? 'service_started') as DependencyCondition);
  }
  return deps;
}

function roleOf(service: ComposeService, argv: readonly string[], awaitedToComplete: boolean): ProcessRole {
  if (service.restart === 'no' || awaitedToComplete) return 'job';
  const joined = argv.join(' ');
  if (/\bserver start\b/.test(joined) || /apps\/api-gateway\//.test(joined)) return 'api';
  return 'services';
}

function nginxPorts(name: string, service: ComposeService): { containerPort: number; hostPort: number } {
  const first = service.ports?.[0];
  if (first === undefined) throw new Error(`compose service ${name}: nginx publishes no port`);
  if (typeof first === 'object') {
    return { containerPort: Number(first.target), hostPort: Number(first.published ?? first.target) };
  }
  const parts = String(first).split('/')[0].split(':');
  const containerPort = Number(parts.at(-1));
  const hostPort = parts.length >= 2 ? Number(parts.at(-2)) : containerPort;
  return { containerPort, hostPort };
}

function nginxConfigPath(name: string, service: ComposeService): string {
  for (const volume of service.volumes ?? []) {
    const [source, target] =
      typeof volume === 'string' ? volume.split(':') : [volume.source ?? '', volume.target ?? ''];
    if (target === '/etc/nginx/nginx.conf' && source !== undefined) return source;
  }
  throw new Error(`compose service ${name}: no volume mounts a file on /etc/nginx/nginx.conf`);
}

/**
 * Applies replica overrides: `api: 3` keeps api-1, api-2 and adds api-3 as a copy of the highest
 * numbered replica; `services: 1` drops services-2. A dependency on one member of a group becomes a
 * dependency on every member (nginx waits for all API replicas, however many there are).
 */
function withReplicas(
  services: Record<string, ComposeService>,
  replicas: Readonly<Record<string, number>>,
): Record<string, ComposeService> {
  const result: Record<string, ComposeService> = { ...services };
  for (const [group, count] of Object.entries(replicas)) {
    const members = Object.keys(result)
      .filter((n) => groupOf(n) === group && n !== group)
      .sort((a, b) => replicaNumber(a) - replicaNumber(b));
    if (members.length === 0)
      throw new Error(`no replica group ${group} (services named ${group}-1, ${group}-2…)`);
    if (!Number.isInteger(count) || count < 1)
      throw new Error(`replicas of ${group} must be ≥ 1, got ${count}`);
    for (const extra of members.slice(count)) delete result[extra];
    const template = result[members[Math.min(count, members.length) - 1]];
    for (let n = members.length + 1; n <= count; n++) result[`${group}-${n}`] = structuredClone(template);
  }
  return result;
}

/** Which processes to run, in which order, from a parsed compose file. Pure: no I/O. */
export function planTopology(compose: ComposeFile, options: PlanOptions): TopologyPlan {
  const selectedProfiles = new Set(options.profiles ?? []);
  const active: Record<string, ComposeService> = {};
  for (const [name, service] of Object.entries(compose.services)) {
    const profiles = service.profiles ?? [];
    if (profiles.length === 0 || profiles.some((p) => selectedProfiles.has(p))) active[name] = service;
  }
  const services = withReplicas(active, options.replicas ?? {});
  const kinds = new Map(Object.entries(services).map(([n, s]) => [n, serviceKind(n, s)]));
  const runnable = [...kinds].filter(([, k]) => k === 'orrery' || k === 'nginx').map(([n]) => n);
  const membersOf = (group: string): string[] => runnable.filter((n) => groupOf(n) === group);

  const dependencies = new Map<string, Map<string, DependencyCondition>>();
  for (const name of runnable) {
    const deps = new Map<string, DependencyCondition>();
    for (const [dep, condition] of dependenciesOf(services[name])) {
      const kind = kinds.get(dep);
      if (kind === 'postgres' || kind === 'redis') continue;
      // A dependency on a replica that the overrides removed, or on one of a group, is one on the group.
      const targets = membersOf(groupOf(dep));
      if (targets.length === 0) throw new Error(`compose service ${name} depends on unknown service ${dep}`);
      for (const target of targets) deps.set(target, condition);
    }
    dependencies.set(name, deps);
  }
  const awaitedToComplete = new Set<string>();
  for (const deps of dependencies.values()) {
    for (const [dep, condition] of deps)
      if (condition === 'service_completed_successfully') awaitedToComplete.add(dep);
  }

  const levels = new Map<string, number>();
  const levelOf = (name: string, path: readonly string[]): number => {
    const known = levels.get(name);
    if (known !== undefined) return known;
    if (path.includes(name)) throw new Error(`dependency cycle: ${[...path, name].join(' → ')}`);
    let level = 0;
    for (const dep of dependencies.get(name)?.keys() ?? [])
      level = Math.max(level, levelOf(dep, [...path, name]) + 1);
    levels.set(name, level);
    return level;
  };

  const rank: Record<ProcessRole, number> = { job: 0, api: 1, services: 2, nginx: 3 };
  const processes: PlannedProcess[] = runnable.map((name) => {
    const service = services[name];
    const common = {
      name,
      group: groupOf(name),
      environment: environmentOf(service),
      dependsOn: dependencies.get(name) ?? new Map<string, DependencyCondition>(),
      level: levelOf(name, []),
    };
    if (kinds.get(name) === 'nginx') {
      return {
        ...common,
        role: 'nginx' as const,
        argv: [],
        nginx: { configPath: nginxConfigPath(name, service), ...nginxPorts(name, service) },
      };
    }
    const entrypoint =
      service.entrypoint !== undefined ? words(service.entrypoint) : [...options.imageEntrypoint];
    const argv = [...entrypoint, ...words(service.command)];
    return { ...common, role: roleOf(service, argv, awaitedToComplete.has(name)), argv };
  });
  processes.sort(
    (a, b) =>
      a.level - b.level ||
      rank[a.role] - rank[b.role] ||
      a.group.localeCompare(b.group) ||
      replicaNumber(a.name) - replicaNumber(b.name),
  );
  const redisHosts = [...kinds].filter(([, k]) => k === 'redis').map(([n]) => n);
  const redisCommand = redisHosts.length > 0 ? words(services[redisHosts[0]].command) : [];
  return {
    processes,
    postgresHosts: [...kinds].filter(([, k]) => k === 'postgres').map(([n]) => n),
    redisHosts,
    redisServerArgs: redisCommand[0] === 'redis-server' ? redisCommand.slice(1) : redisCommand,
  };
}
