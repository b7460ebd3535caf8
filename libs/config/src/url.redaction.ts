/** What every secret is replaced with wherever settings are shown (logs, error lines, /api/admin/settings). */
export const REDACTED = '********';

function isWellFormed(url: string): boolean {
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

/**
 * Hides the password in a URL's userinfo (`postgresql://user:secret@host/db` →
 * `postgresql://user:********@host/db`). Works on any scheme, including ones WHATWG `URL` treats as
 * opaque, because it only rewrites the text between `://` and the `@` ending the userinfo. A
 * malformed URL (say, an unencoded `#` or `/` in the password) is redacted up to its last `@`:
 * when in doubt, hide too much rather than leak.
 */
export function redactUrl(url: string): string {
  const schemeEnd = url.indexOf('://');
  if (schemeEnd < 0) return url;
  const authorityStart = schemeEnd + 3;
  const pathStart = isWellFormed(url) ? url.slice(authorityStart).search(/[/?#]/) : -1;
  const authorityEnd = pathStart < 0 ? url.length : authorityStart + pathStart;
  const authority = url.slice(authorityStart, authorityEnd);
  const at = authority.lastIndexOf('@');
  if (at < 0) return url;
  const userinfo = authority.slice(0, at);
  const colon = userinfo.indexOf(':');
  if (colon < 0) return url;
  const redacted = `${userinfo.slice(0, colon)}:${REDACTED}${authority.slice(at)}`;
  return url.slice(0, authorityStart) + redacted + url.slice(authorityEnd);
}
