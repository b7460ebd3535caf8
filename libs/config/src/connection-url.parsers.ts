import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { type BackendKind } from './setting.forms';
import { SettingsError } from './settings.error';
import { type RawSetting, echo } from './settings.reader';

/*
 * URL handling for the database, Redis and Docket settings. Every failure is a SettingsError
 * naming the variable the value came from; passwords are never echoed.
 */

/** `~` and `~/x` → the user's home directory; relative paths → absolute. */
export function expandPath(path: string): string {
  const expanded = path === '~' ? homedir() : path.startsWith('~/') ? join(homedir(), path.slice(2)) : path;
  return isAbsolute(expanded) ? expanded : resolve(expanded);
}

export type DatabaseLocation =
  | { kind: 'postgres'; connectionUrl: string; pgliteDataDir: null }
  | { kind: 'pglite'; connectionUrl: null; pgliteDataDir: string };

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):(?:\/\/)?([\s\S]*)$/;
// asyncpg spells the TLS mode `ssl=`; node-postgres reads `sslmode=`.
const SSL_MODES = new Set(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']);

export function pgliteDefaultDir(home: string): string {
  return join(home, 'orrery-pglite');
}

export function sqliteRefused(found: RawSetting): SettingsError {
  return new SettingsError(
    found.variable,
    `SQLite is not supported: Orrery stores its data in PostgreSQL (give a postgresql:// or postgresql+asyncpg:// URL) or, ` +
      `when this variable is unset, in an embedded PGlite database under $PREFECT_HOME — unset it to use the embedded default, ` +
      `got ${echo(found.raw, { url: true })}`,
  );
}

/**
 * Accepts what Prefect users already have (`postgresql+asyncpg://`, `postgresql+psycopg://`,
 * `postgres://`, `postgresql://`) and returns a plain `postgresql://` URL for node-postgres; or
 * `pglite://<dir>` for an explicit embedded data directory (`pglite://memory` = in-memory).
 */
export function parseDatabaseUrl(found: RawSetting, home: string): DatabaseLocation {
  const text = found.raw.trim();
  const match = SCHEME.exec(text);
  const scheme = match?.[1]?.toLowerCase() ?? '';
  if (scheme.startsWith('sqlite')) throw sqliteRefused(found);
  if (match !== null && scheme === 'pglite') {
    const rest = match[2] ?? '';
    if (rest === '') return { kind: 'pglite', connectionUrl: null, pgliteDataDir: pgliteDefaultDir(home) };
    if (rest === 'memory') return { kind: 'pglite', connectionUrl: null, pgliteDataDir: 'memory://' };
    return { kind: 'pglite', connectionUrl: null, pgliteDataDir: expandPath(rest) };
  }
  const isPostgres = /^postgres(ql)?(\+[a-z0-9_]+)?$/.test(scheme);
  const expected =
    'a PostgreSQL URL (postgresql://, postgres:// or postgresql+asyncpg://user:pass@host:5432/db) or pglite://<directory>';
  if (match === null || !isPostgres || !text.slice(match[1]!.length).startsWith('://')) {
    throw new SettingsError(found.variable, `expected ${expected}, got ${echo(text, { url: true })}`);
  }
  let url: URL;
  try {
    url = new URL(`postgresql://${match[2]}`);
  } catch {
    throw new SettingsError(found.variable, `expected ${expected}, got ${echo(text, { url: true })}`);
  }
  const ssl = url.searchParams.get('ssl');
  if (ssl !== null && SSL_MODES.has(ssl) && !url.searchParams.has('sslmode')) {
    url.searchParams.delete('ssl');
    url.searchParams.set('sslmode', ssl);
  }
  return { kind: 'postgres', connectionUrl: url.toString(), pgliteDataDir: null };
}

export interface DatabaseParts {
  host: string;
  port: number | null;
  user: string | null;
  password: string | null;
  name: string | null;
}

/** Builds the URL Prefect builds from PREFECT_SERVER_DATABASE_HOST/_PORT/_USER/_PASSWORD/_NAME. */
export function buildPostgresUrl(parts: DatabaseParts): string {
  const user = parts.user === null ? '' : encodeURIComponent(parts.user);
  const password = parts.password === null ? '' : `:${encodeURIComponent(parts.password)}`;
  const auth = user === '' && password === '' ? '' : `${user}${password}@`;
  const host = parts.host.includes(':') && !parts.host.startsWith('[') ? `[${parts.host}]` : parts.host;
  const name = parts.name === null ? '' : encodeURIComponent(parts.name);
  return `postgresql://${auth}${host}:${parts.port ?? 5432}/${name}`;
}

function isClusterScheme(scheme: string): boolean {
  return scheme === 'redis+cluster' || scheme === 'rediss+cluster';
}

function clusterRefused(found: RawSetting): SettingsError {
  return new SettingsError(
    found.variable,
    `Redis Cluster URLs (redis+cluster://) are not supported: Orrery's stream and job keys are not hash-slot safe yet; ` +
      `use redis:// or rediss:// pointing at a standalone Redis, got ${echo(found.raw, { url: true })}`,
  );
}

/** Validates a `redis://` / `rediss://` URL; refuses Redis Cluster URLs with their own line. */
export function parseRedisUrl(found: RawSetting): string {
  const text = found.raw.trim();
  const scheme = (SCHEME.exec(text)?.[1] ?? '').toLowerCase();
  if (isClusterScheme(scheme)) throw clusterRefused(found);
  const expected = 'a Redis URL (redis://[user:password@]host:6379/0, or rediss:// for TLS)';
  if ((scheme !== 'redis' && scheme !== 'rediss') || !text.slice(scheme.length).startsWith('://')) {
    throw new SettingsError(found.variable, `expected ${expected}, got ${echo(text, { url: true })}`);
  }
  try {
    new URL(text);
  } catch {
    throw new SettingsError(found.variable, `expected ${expected}, got ${echo(text, { url: true })}`);
  }
  return text;
}

export interface RedisParts {
  host: string;
  port: number;
  db: number;
  username: string;
  password: string;
  ssl: boolean;
}

/** One URL from the discrete PREFECT_REDIS_MESSAGING_* fields (`rediss` when SSL is on). */
export function buildRedisUrl(parts: RedisParts): string {
  const scheme = parts.ssl ? 'rediss' : 'redis';
  // `default` is the implicit ACL user: leaving it out sends a one-argument AUTH, which Redis 6+
  // maps to `default` and older servers still understand.
  const user = parts.username === 'default' ? '' : encodeURIComponent(parts.username);
  const password = parts.password === '' ? '' : `:${encodeURIComponent(parts.password)}`;
  const auth = user === '' && password === '' ? '' : `${user}${password}@`;
  const host = parts.host.includes(':') && !parts.host.startsWith('[') ? `[${parts.host}]` : parts.host;
  return `${scheme}://${auth}${host}:${parts.port}/${parts.db}`;
}

/** `memory://` (in-process, one process only) or a Redis URL. */
export function parseDocketUrl(
  found: RawSetting | undefined,
  value: string,
): { url: string; kind: BackendKind } {
  if (found === undefined) return { url: value, kind: 'memory' };
  const text = found.raw.trim();
  if (text === 'memory' || text.startsWith('memory://')) return { url: text, kind: 'memory' };
  const scheme = (SCHEME.exec(text)?.[1] ?? '').toLowerCase();
  if (isClusterScheme(scheme)) throw clusterRefused(found);
  if (scheme !== 'redis' && scheme !== 'rediss') {
    throw new SettingsError(
      found.variable,
      `expected memory:// or a Redis URL (redis://host:6379/1, rediss:// for TLS), got ${echo(text, { url: true })}`,
    );
  }
  return { url: parseRedisUrl(found), kind: 'redis' };
}
