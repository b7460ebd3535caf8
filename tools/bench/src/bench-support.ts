/** Small helpers shared by the benchmarks: argument parsing and latency percentiles. */
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';

export function parseArgs(argv: readonly string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const [key, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    args[key] = inline ?? (argv[i + 1]?.startsWith('--') === false ? argv[++i]! : 'true');
  }
  return args;
}

/** p-th percentile (0–100) of samples, nearest-rank. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function summarise(samplesMs: number[]): { p50: number; p95: number; p99: number; max: number } {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

export const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/** One answer of `postJson`: the status and the body text. */
export interface HttpAnswer {
  readonly status: number;
  readonly text: string;
}

/**
 * POSTs JSON over keep-alive connections with node:http. A load generator on the same 2-core
 * machine as the server takes CPU from it: undici's fetch cost the lifecycle benchmark 3.5 ms of
 * CPU per lifecycle (six requests), about a fifth of the whole machine's work.
 */
export class JsonPoster {
  private readonly agent: Agent;

  constructor(maxSockets: number) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  post(url: string, body: unknown, headers: Readonly<Record<string, string>> = {}): Promise<HttpAnswer> {
    const payload = Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const request = httpRequest(
        url,
        {
          method: 'POST',
          agent: this.agent,
          headers: { 'content-type': 'application/json', 'content-length': payload.length, ...headers },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/**
 * A process a benchmark starts (`node <argv>`), keeping the tail of its output. `profileDir` set:
 * it writes a V8 CPU profile to `<profileDir>/<name>` on a clean exit.
 */
export class BenchProcess {
  static profileDir: string | undefined;
  out = '';
  readonly exited: Promise<number | null>;
  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (d: Buffer) => (this.out = (this.out + d.toString()).slice(-20_000)));
    child.stderr?.on('data', (d: Buffer) => (this.out = (this.out + d.toString()).slice(-20_000)));
    this.exited = new Promise((r) => child.once('exit', (code) => r(code)));
  }
  static start(name: string, argv: string[], env: NodeJS.ProcessEnv): BenchProcess {
    const dir = BenchProcess.profileDir;
    const profile = dir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${join(dir, name)}`];
    return new BenchProcess(
      name,
      spawn(process.execPath, [...profile, ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] }),
    );
  }
  async ready(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!/orrery: ready/.test(this.out)) {
      if (this.child.exitCode !== null) throw new Error(`${this.name} exited:\n${this.out}`);
      if (Date.now() > deadline) throw new Error(`${this.name} not ready:\n${this.out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}
