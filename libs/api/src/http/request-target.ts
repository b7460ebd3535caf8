/** Why a request target was refused before routing. */
export type RequestTargetRejection = 'encoded-separator' | 'malformed';

export type NormalisedTarget =
  | { readonly ok: true; readonly path: string; readonly query: string }
  | { readonly ok: false; readonly reason: RequestTargetRejection };

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
const SCHEME_AND_AUTHORITY = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/;

function decodeUnreserved(path: string): string | null {
  if (!path.includes('%')) return path;
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    const hex = path.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null;
    const decoded = String.fromCharCode(parseInt(hex, 16));
    out += UNRESERVED.test(decoded) ? decoded : `%${hex.toUpperCase()}`;
    i += 2;
  }
  return out;
}

/** RFC 3986 §5.2.4 on an absolute path whose slashes are already collapsed; never climbs above `/`. */
function removeDotSegments(path: string): string {
  const segments = path.split('/').slice(1);
  const out: string[] = [];
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (segment === '.' || segment === '..') {
      if (segment === '..') out.pop();
      if (last) out.push('');
      return;
    }
    out.push(segment);
  });
  return `/${out.join('/')}`;
}

/**
 * The one spelling of a request target every later step sees (the router, authentication, the
 * version check, websockets): an absolute-form target (`GET http://host/api/x HTTP/1.0`) loses its
 * scheme and authority, the fragment is dropped, percent-encoded unreserved characters are decoded
 * (`/%61pi` → `/api`), runs of `/` collapse and `.`/`..` segments are resolved. An encoded `/` or
 * `\` would let one path mean two routes, so it is refused, as are malformed escapes. The query is
 * kept as sent. Other escapes (`%20`, `%00`, UTF-8) stay encoded for the router to decode into
 * parameters, where a NUL is refused by name.
 */
export function normaliseRequestTarget(target: string): NormalisedTarget {
  let rest = target;
  if (!rest.startsWith('/')) {
    const absolute = SCHEME_AND_AUTHORITY.exec(rest);
    if (absolute === null) return { ok: false, reason: 'malformed' };
    rest = rest.slice(absolute[0].length);
    if (!rest.startsWith('/')) rest = `/${rest}`;
  }
  const hash = rest.indexOf('#');
  if (hash !== -1) rest = rest.slice(0, hash);
  const q = rest.indexOf('?');
  const rawPath = q === -1 ? rest : rest.slice(0, q);
  const query = q === -1 ? '' : rest.slice(q + 1);
  if (/%(2f|5c)/i.test(rawPath)) return { ok: false, reason: 'encoded-separator' };
  const decoded = decodeUnreserved(rawPath);
  if (decoded === null) return { ok: false, reason: 'malformed' };
  const path = removeDotSegments(decoded.replace(/\/{2,}/g, '/'));
  return { ok: true, path, query };
}

/** `path` is `prefix` itself or below it (`/api`, `/api/`, `/api/flows`, not `/apix`). */
export function isUnderPrefix(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}
