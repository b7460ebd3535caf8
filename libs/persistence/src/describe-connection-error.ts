import { normalizeDatabaseUrl } from './create-data-source';

/**
 * One line, for a human, saying why PostgreSQL could not be reached: names host:port (and the user
 * or database when that is the problem), never the password, never a stack trace.
 */
export function describeConnectionError(error: unknown, url: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    // Not a URL: an embedded PGlite data directory.
    return `cannot open the embedded database in ${url}: ${firstLine(firstCause(error).message, error)}`;
  }
  const target = describeTarget(url);
  const where = `PostgreSQL at ${target.hostPort}`;
  const cause = firstCause(error);
  const code = typeof cause.code === 'string' ? cause.code : undefined;
  const message = typeof cause.message === 'string' ? cause.message : String(error);
  const network = networkFailureReason(code);
  if (network !== undefined) return `cannot connect to ${where}: ${network}`;
  switch (code) {
    case '28P01':
    case '28000':
      return `cannot connect to ${where}: authentication failed for user "${target.user}"`;
    case '3D000':
      return `cannot connect to ${where}: database "${target.database}" does not exist`;
    default:
      if (/timeout/i.test(message)) {
        return `cannot connect to ${where}: timed out`;
      }
      return `cannot connect to ${where}: ${scrub(firstLine(message, error), target.password)}`;
  }
}

/**
 * Why a TCP connection failed, for a human (`connection refused`, `host not found`, …), from a Node
 * socket error code; undefined for anything else. Shared by the database and Redis start-up checks.
 */
export function networkFailureReason(code: string | undefined): string | undefined {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ETIMEDOUT':
      return 'timed out';
    case 'ECONNRESET':
      return 'connection reset';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    default:
      return undefined;
  }
}

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
}

/** Node reports a multi-address connect failure as an AggregateError; its first member says why. */
function firstCause(error: unknown): ErrorLike {
  const candidate = (error ?? {}) as ErrorLike;
  if (candidate.code === undefined && Array.isArray(candidate.errors) && candidate.errors.length > 0) {
    return firstCause(candidate.errors[0]);
  }
  return candidate;
}

function describeTarget(url: string): { hostPort: string; user: string; database: string; password: string } {
  try {
    const parsed = new URL(normalizeDatabaseUrl(url));
    const host = decodeURIComponent(parsed.hostname) || 'localhost';
    return {
      hostPort: `${host}:${parsed.port || '5432'}`,
      user: decodeURIComponent(parsed.username) || 'postgres',
      database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || decodeURIComponent(parsed.username),
      password: decodeURIComponent(parsed.password),
    };
  } catch {
    return { hostPort: '(unparseable database URL)', user: '', database: '', password: '' };
  }
}

function firstLine(message: unknown, error: unknown): string {
  return (typeof message === 'string' ? message : String(error)).split('\n')[0];
}

function scrub(text: string, password: string): string {
  return password === '' ? text : text.split(password).join('***');
}
