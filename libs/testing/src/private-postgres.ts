import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, tieServerToProcess, waitFor } from './process';

/** Where initdb and postgres live: ORRERY_TEST_PG_BIN, else the newest /usr/lib/postgresql/<n>/bin, else PATH. */
function postgresBinDir(): string {
  const explicit = process.env['ORRERY_TEST_PG_BIN'];
  if (explicit !== undefined && explicit !== '') return explicit;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return versions.length > 0 ? join(root, versions[0]!, 'bin') : '';
}

/** PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` system user. */
function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string): number => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }));
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * A PostgreSQL cluster of this test's own (initdb in a temporary directory, trust authentication,
 * user `postgres`, loopback on a free port). A suite that stops PostgreSQL on purpose — an outage,
 * a restart under load — uses one, so the machine's shared server is never touched. `stop()` is an
 * immediate shutdown (a crash: no checkpoint, clients cut off); `launch()` starts it again on the
 * same port and data directory, recovering from the WAL, so every committed transaction is still
 * there. fsync is off (a test cluster need not survive the machine; a crashed server process loses
 * nothing, the kernel still has its writes).
 */
export class PrivatePostgres {
  private child: ChildProcess | null = null;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly bin: string,
    private readonly owner: { uid: number; gid: number } | null,
  ) {}

  /** initdb and start; takes a few seconds. */
  static async start(): Promise<PrivatePostgres> {
    const bin = postgresBinDir();
    const owner = runAs();
    const dir = mkdtempSync(join(tmpdir(), 'orrery-pg-'));
    if (owner !== null) chownSync(dir, owner.uid, owner.gid);
    const server = new PrivatePostgres(await freePort(), dir, bin, owner);
    try {
      execFileSync(
        server.binary('initdb'),
        ['-D', server.dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync'],
        { stdio: 'pipe', ...(owner ?? {}) },
      );
      await server.launch();
    } catch (error) {
      await server.dispose();
      throw error;
    }
    return server;
  }

  private get dataDir(): string {
    return join(this.dir, 'data');
  }

  private binary(name: string): string {
    return this.bin === '' ? name : join(this.bin, name);
  }

  /** `postgresql://postgres@127.0.0.1:<port>/<database>`. */
  url(database = 'postgres'): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** Starts the server (again) on the same port and data; resolves once it accepts connections. */
  async launch(): Promise<void> {
    if (this.child) return;
    const child = spawn(
      this.binary('postgres'),
      [
        '-D',
        this.dataDir,
        '-p',
        String(this.port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${this.dir}`,
        '-c',
        'fsync=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'max_connections=200',
        '-c',
        'shared_buffers=32MB',
      ],
      { stdio: 'ignore', ...(this.owner ?? {}) },
    );
    this.child = child;
    tieServerToProcess(child, this.dir, () => {
      if (this.child === child) this.child = null;
    });
    await waitFor(
      async () => {
        if (this.child !== child) throw new Error(`postgres on port ${this.port} exited while starting`);
        const probe = new Client({ connectionString: this.url(), connectionTimeoutMillis: 2000 });
        try {
          await probe.connect();
          await probe.query('SELECT 1');
          return true;
        } finally {
          await probe.end().catch(() => undefined);
        }
      },
      { timeoutMs: 30_000, intervalMs: 100, what: `postgres on port ${this.port}` },
    );
  }

  /**
   * An outage: SIGQUIT to the postmaster (PostgreSQL's immediate shutdown — every backend exits at
   * once, no checkpoint; the next start recovers from the WAL). Resolves once it has exited.
   */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGQUIT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  /** Creates a database on this cluster and returns its URL. */
  async createDatabase(name: string): Promise<string> {
    const client = new Client({ connectionString: this.url() });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    } finally {
      await client.end();
    }
    return this.url(name);
  }

  /** Stops the server and removes the cluster. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
