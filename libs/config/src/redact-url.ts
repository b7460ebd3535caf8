/** What every secret is replaced with wherever settings are shown (logs, error lines, /api/admin/settings). */
export const REDACTED = '********';

/**
 * Hides the password in a URL's userinfo (`postgresql://user:secret@host/db` →
 * `postgresql://user:********@host/db`). Works on any scheme, including ones WHATWG `URL` treats as
 * opaque, because it only rewrites the text between `://` and the last `@` of the authority.
 */
export function redactUrl(url: string): string {
  const schemeEnd = url.indexOf('://');
  if (schemeEnd < 0) return url;
  const authorityStart = schemeEnd + 3;
  const pathStart = url.slice(authorityStart).search(/[/?#]/);
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
