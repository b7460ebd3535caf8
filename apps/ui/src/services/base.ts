/**
 * Where the UI is mounted. The build prefixes every URL with a placeholder that the server
 * replaces with PREFECT_UI_SERVE_BASE ('' for `/`), so `import.meta.env.BASE_URL` is the real base.
 */
export function serveBase(): string {
  const base = import.meta.env.BASE_URL;
  return base.endsWith('/') ? base.slice(0, -1) : base;
}
