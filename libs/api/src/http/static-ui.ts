import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The prefix the UI build gives every URL; replaced with the serve base when the build is copied. */
export const SERVE_BASE_PLACEHOLDER = '/ORRERY_UI_SERVE_BASE_PLACEHOLDER';
/** Upstream's marker file: a directory holding it is a prepared bundle, its content the cache key. */
const MARKER_FILE = 'UI_SERVE_BASE';
const TEXT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};
const BINARY_TYPES: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.webp': 'image/webp',
};

export interface StaticUiOptions {
  /** `PREFECT_UI_SERVE_BASE`, normalised: `/` or `/ui` (no trailing slash). */
  readonly serveBase: string;
  /** The UI build (`apps/ui/dist`), every URL prefixed with the placeholder. */
  readonly buildDirectory: string;
  /**
   * `PREFECT_SERVER_UI_STATIC_DIRECTORY`, as upstream: the build is copied there with the serve
   * base templated in — into the directory itself when it already holds a prepared bundle, else
   * into its `v1/` subdirectory.
   */
  readonly staticDirectory: string;
  /** The REST API prefix: paths under it are never the UI's. */
  readonly apiPrefix: string;
  /** `<base>/ui-settings` when the base is not `/` (at `/` the API's own route answers it). */
  readonly uiSettings: () => object;
}

interface UiFile {
  readonly type: string;
  readonly body: Buffer;
  readonly gzip: Buffer | null;
  readonly brotli: Buffer | null;
}

/** `/`, `/ui`, `ui/` → `/`, `/ui`, `/ui`. */
export function normaliseServeBase(base: string): string {
  const withSlash = base.startsWith('/') ? base : `/${base}`;
  const trimmed = withSlash.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/** The directory the UI is served from: the configured one, or its `v1/` unless it is a bundle. */
export function servedDirectory(staticDirectory: string): string {
  return existsSync(join(staticDirectory, MARKER_FILE)) ? staticDirectory : join(staticDirectory, 'v1');
}

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .map((name) => join(root, name))
    .filter((path) => statSync(path).isFile());
}

/**
 * Copies the build to the served directory with the serve base written into every text file,
 * and next to each compressible file its gzip and brotli forms. Skipped when the marker already
 * names this build and base, so a restart costs nothing. Replicas sharing the directory each
 * write a private copy and swap it in with a rename, so a reader never sees half a bundle.
 */
export function prepareUiDirectory(options: StaticUiOptions): string {
  const target = servedDirectory(options.staticDirectory);
  const buildIndex = readFileSync(join(options.buildDirectory, 'index.html'));
  const cacheKey = `orrery:${createHash('sha256').update(buildIndex).digest('hex').slice(0, 16)}:${options.serveBase}`;
  const marker = join(target, MARKER_FILE);
  if (existsSync(marker) && readFileSync(marker, 'utf8') === cacheKey) return target;

  const replacement = options.serveBase === '/' ? '' : options.serveBase;
  const staging = `${target}.tmp-${process.pid}-${Date.now()}`;
  for (const source of filesUnder(options.buildDirectory)) {
    const name = relative(options.buildDirectory, source);
    if (name.endsWith('.gz') || name.endsWith('.br')) continue;
    const destination = join(staging, name);
    mkdirSync(dirname(destination), { recursive: true });
    const ext = extname(name);
    let body = readFileSync(source);
    if (TEXT_TYPES[ext] !== undefined) {
      body = Buffer.from(body.toString('utf8').replaceAll(SERVE_BASE_PLACEHOLDER, replacement), 'utf8');
      if (body.length > 1024) {
        writeFileSync(`${destination}.gz`, gzipSync(body, { level: 6 }));
        writeFileSync(
          `${destination}.br`,
          brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5 } }),
        );
      }
    }
    writeFileSync(destination, body);
  }
  writeFileSync(join(staging, MARKER_FILE), cacheKey);
  mkdirSync(dirname(target), { recursive: true });
  const retired = `${target}.old-${process.pid}-${Date.now()}`;
  if (existsSync(target)) renameSync(target, retired);
  try {
    renameSync(staging, target);
  } catch (error) {
    // Another replica swapped its identical copy in first.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(marker)) throw error;
  }
  rmSync(retired, { recursive: true, force: true });
  return target;
}

function loadFiles(directory: string): Map<string, UiFile> {
  const files = new Map<string, UiFile>();
  for (const path of filesUnder(directory)) {
    const name = `/${relative(directory, path).split(sep).join('/')}`;
    if (name.endsWith('.gz') || name.endsWith('.br') || name === `/${MARKER_FILE}`) continue;
    const ext = extname(name);
    const type = TEXT_TYPES[ext] ?? BINARY_TYPES[ext] ?? 'application/octet-stream';
    const sibling = (suffix: string): Buffer | null =>
      existsSync(`${path}${suffix}`) ? readFileSync(`${path}${suffix}`) : null;
    files.set(name, { type, body: readFileSync(path), gzip: sibling('.gz'), brotli: sibling('.br') });
  }
  return files;
}

function send(request: FastifyRequest, reply: FastifyReply, file: UiFile, cacheControl: string): void {
  const accepted = String(request.headers['accept-encoding'] ?? '');
  void reply.header('Content-Type', file.type).header('Cache-Control', cacheControl);
  if (file.gzip !== null) void reply.header('Vary', 'Accept-Encoding');
  if (file.brotli !== null && /\bbr\b/.test(accepted)) {
    void reply.header('Content-Encoding', 'br').send(file.brotli);
  } else if (file.gzip !== null && /\bgzip\b/.test(accepted)) {
    void reply.header('Content-Encoding', 'gzip').send(file.gzip);
  } else {
    void reply.send(file.body);
  }
}

/** Route option marking the UI's routes, which the 404-versus-405 route table leaves out. */
export const STATIC_UI_ROUTE = 'orreryStaticUi';

/**
 * Serves the UI at the serve base as upstream does: the files of the prepared build (hashed
 * assets cached for a year, everything else revalidated), and `index.html` for every other path
 * so the browser's history routing works. Paths under the API prefix are left to the API's own
 * 404/405 answers. Like upstream, the UI's files are public: only the API asks for credentials.
 */
export function installStaticUi(fastify: FastifyInstance, options: StaticUiOptions): void {
  const files = loadFiles(prepareUiDirectory(options));
  const index = files.get('/index.html');
  if (index === undefined) throw new Error(`the UI build in ${options.buildDirectory} has no index.html`);
  const base = options.serveBase;
  const prefix = options.apiPrefix;

  const handler = (request: FastifyRequest, reply: FastifyReply): void => {
    const raw = request.url.split('?')[0] ?? '/';
    let path: string;
    try {
      path = decodeURIComponent(raw);
    } catch {
      path = raw;
    }
    if (path === prefix || path.startsWith(`${prefix}/`)) {
      void reply.callNotFound();
      return;
    }
    const relativePath = base === '/' ? path : path.slice(base.length) || '/';
    if (base !== '/' && relativePath.replace(/\/$/, '') === '/ui-settings') {
      void reply.header('Cache-Control', 'no-store').send(options.uiSettings());
      return;
    }
    const file = files.get(relativePath);
    if (file !== undefined && relativePath !== '/index.html') {
      const hashed = relativePath.startsWith('/assets/');
      send(
        request,
        reply,
        file,
        hashed ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate',
      );
      return;
    }
    if (relativePath.startsWith('/assets/')) {
      void reply.callNotFound();
      return;
    }
    send(request, reply, index, 'no-cache');
  };

  const routeOptions = { config: { [STATIC_UI_ROUTE]: true } };
  fastify.get(base === '/' ? '/*' : `${base}/*`, routeOptions, handler);
  if (base !== '/') fastify.get(base, routeOptions, handler);
}

/**
 * The UI build shipped with this checkout or image (`apps/ui/dist`), found by walking up from
 * this file (it runs from `libs/…` in tests and from `dist/libs/…` when built); null when the UI
 * has not been built.
 */
export function findUiBuild(from: string = __dirname): string | null {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'apps', 'ui', 'dist');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
