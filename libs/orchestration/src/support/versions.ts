/**
 * Version handling for the two orchestration parameters (spec-api §4.1 item 10): the REST API
 * version from `X-PREFECT-API-VERSION` (`x.y.z` integers) and the SDK version from
 * `User-Agent: prefect/<version> (API <api>)` (a PEP 440 version such as `3.4.11` or `3.0.0rc20`).
 */

/** A parsed `X-PREFECT-API-VERSION`: three integers. */
export type ApiVersion = readonly [number, number, number];

const API_VERSION_PATTERN = /^(\d+)\.(\d+)\.(\d+)$/;

/** Parses `x.y.z` (integers only); null when the text has another shape. */
export function parseApiVersion(text: string): ApiVersion | null {
  const m = API_VERSION_PATTERN.exec(text.trim());
  if (m === null) return null;
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

export function compareApiVersions(a: ApiVersion, b: ApiVersion): number {
  for (let i = 0; i < 3; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** The API version rules compare against to decide whether pauses and resumes are understood. */
export const PAUSE_AWARE_API_VERSION: ApiVersion = [0, 8, 4];
/** Below this, flow retries also reset the flow's failed task runs (legacy clients). */
export const TASK_RETRY_AWARE_API_VERSION: ApiVersion = [0, 8, 3];

/** True when the API version is absent (treated as the latest) or ≥ `minimum`. */
export function apiVersionAtLeast(version: ApiVersion | null, minimum: ApiVersion): boolean {
  return version === null || compareApiVersions(version, minimum) >= 0;
}

/** Prefect's own pattern for its SDK's User-Agent. */
const USER_AGENT_PATTERN = /^prefect\/(\d+\.\d+\.\d+(?:[a-z.+0-9]+)?) \(API \S+\)$/;

/** `User-Agent: prefect/3.4.11 (API 0.8.4)` → `3.4.11`; null for any other agent. */
export function clientVersionFromUserAgent(userAgent: string | null | undefined): string | null {
  if (!userAgent) return null;
  const m = USER_AGENT_PATTERN.exec(userAgent);
  return m === null ? null : m[1]!;
}

/**
 * A PEP 440 version reduced to what Prefect's comparisons need: release numbers, an optional
 * pre-release (a/b/rc), post and dev numbers. Local labels (`+…`) are ignored.
 */
export interface ClientVersion {
  readonly release: readonly number[];
  readonly pre: readonly [number, number] | null; // [phase 0=a,1=b,2=rc, number]
  readonly post: number | null;
  readonly dev: number | null;
}

const PEP440_PATTERN =
  /^v?(\d+(?:\.\d+)*)(?:[-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?(\d*))?(?:(?:[-_.]?(?:post|rev|r)[-_.]?(\d*))|-(\d+))?(?:[-_.]?dev[-_.]?(\d*))?(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?$/i;

/** Parses a PEP 440 version; null when the text is not one. */
export function parseClientVersion(text: string): ClientVersion | null {
  const m = PEP440_PATTERN.exec(text.trim());
  if (m === null) return null;
  const [, release, prePhase, preNumber, postNumber, implicitPost, devNumber] = m;
  let pre: [number, number] | null = null;
  if (prePhase !== undefined) {
    const phase = prePhase.toLowerCase();
    const rank = phase.startsWith('a') ? 0 : phase.startsWith('b') ? 1 : 2;
    pre = [rank, Number(preNumber || 0)];
  }
  const post =
    implicitPost !== undefined
      ? Number(implicitPost)
      : postNumber !== undefined
        ? Number(postNumber || 0)
        : null;
  const dev = devNumber !== undefined ? Number(devNumber || 0) : null;
  return {
    release: release!.split('.').map(Number),
    pre,
    post,
    dev,
  };
}

/** Orders two PEP 440 versions: X.devN < XaN < XbN < XrcN < X < X.postN. */
export function compareClientVersions(a: ClientVersion, b: ClientVersion): number {
  const length = Math.max(a.release.length, b.release.length);
  for (let i = 0; i < length; i++) {
    const d = (a.release[i] ?? 0) - (b.release[i] ?? 0);
    if (d !== 0) return d;
  }
  return compareKeys(sortKey(a), sortKey(b));
}

function sortKey(v: ClientVersion): number[] {
  // pre: a dev-only release sorts before every pre-release; no pre-release sorts after them all.
  const pre = v.pre !== null ? [v.pre[0], v.pre[1]] : v.post === null && v.dev !== null ? [-1, 0] : [3, 0];
  const post = v.post === null ? -1 : v.post;
  const dev = v.dev === null ? Number.POSITIVE_INFINITY : v.dev;
  return [...pre, post, dev];
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return 0;
}

/**
 * Clients from 3.4.11 renew deployment concurrency leases themselves; older or unknown clients
 * (including unparseable versions) do not.
 */
export const MIN_CLIENT_VERSION_FOR_CONCURRENCY_LIMIT_LEASING = '3.4.11';

/** True when the client version is known, parseable and ≥ `minimum`. */
export function clientVersionAtLeast(version: string | null, minimum: string): boolean {
  if (version === null) return false;
  const parsed = parseClientVersion(version);
  const min = parseClientVersion(minimum);
  if (parsed === null || min === null) return false;
  return compareClientVersions(parsed, min) >= 0;
}

/** Workers of these exact versions take deployment concurrency slots themselves (matched as text). */
export const WORKER_VERSIONS_THAT_MANAGE_DEPLOYMENT_CONCURRENCY: ReadonlySet<string> = new Set([
  '3.0.0rc20',
  '3.0.0',
  '3.0.1',
  '3.0.2',
  '3.0.3',
]);
