import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

/** deploy/observability, where the shipped stack lives. */
export function observabilityDir(repoRoot: string): string {
  return join(repoRoot, 'deploy', 'observability');
}

export interface PanelQuery {
  readonly dashboard: string;
  readonly panel: string;
  readonly refId: string;
  readonly expr: string;
}

interface DashboardJson {
  readonly title: string;
  readonly panels?: readonly {
    readonly title?: string;
    readonly targets?: readonly { readonly refId?: string; readonly expr?: string }[];
  }[];
}

/** Every shipped dashboard file, parsed, by file name. */
export function readDashboards(repoRoot: string): Map<string, unknown> {
  const dir = join(observabilityDir(repoRoot), 'grafana', 'dashboards');
  const out = new Map<string, unknown>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    out.set(file, JSON.parse(readFileSync(join(dir, file), 'utf8')));
  }
  return out;
}

/** Every PromQL expression of every panel of every shipped dashboard. */
export function dashboardQueries(repoRoot: string): PanelQuery[] {
  const queries: PanelQuery[] = [];
  for (const dashboard of readDashboards(repoRoot).values()) {
    const d = dashboard as DashboardJson;
    for (const panel of d.panels ?? []) {
      for (const target of panel.targets ?? []) {
        if (typeof target.expr !== 'string') continue;
        queries.push({
          dashboard: d.title,
          panel: panel.title ?? '',
          refId: target.refId ?? '',
          expr: target.expr,
        });
      }
    }
  }
  return queries;
}

/** Grafana's interval variables, as Prometheus needs them when a query runs outside Grafana. */
export function withGrafanaVariables(expr: string, rateInterval: string): string {
  return expr.replaceAll('$__rate_interval', rateInterval).replaceAll('$__interval', rateInterval);
}

interface ScrapeConfig {
  job_name: string;
  metrics_path?: string;
  static_configs?: { targets: string[] }[];
}

/**
 * The shipped prometheus.yml for local processes: the targets of the API and services jobs become
 * the given `host:port`s, jobs without local targets are dropped, and scraping runs every
 * `intervalSeconds` (so a short test sees several samples).
 */
export function localPrometheusConfig(
  source: string,
  targets: Readonly<Record<string, readonly string[]>>,
  intervalSeconds: number,
): string {
  const config = parse(source) as { global?: Record<string, unknown>; scrape_configs: ScrapeConfig[] };
  config.global = {
    ...config.global,
    scrape_interval: `${intervalSeconds}s`,
    evaluation_interval: `${intervalSeconds}s`,
  };
  config.scrape_configs = config.scrape_configs
    .filter((job) => targets[job.job_name] !== undefined)
    .map((job) => ({ ...job, static_configs: [{ targets: [...targets[job.job_name]!] }] }));
  return stringify(config);
}

/** The installed Prometheus binary (tools/dev/ensure-prometheus.sh installs Debian's). */
export function prometheusBinary(): string | null {
  for (const candidate of ['/usr/bin/prometheus', '/usr/local/bin/prometheus']) {
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** A Prometheus server of a test's own, on loopback, with its data in a temporary directory. */
export class LocalPrometheus {
  private output = '';
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly url: string,
  ) {
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
  }

  static start(binary: string, config: string, port: number): LocalPrometheus {
    const dir = mkdtempSync(join(tmpdir(), 'orrery-prometheus-'));
    writeFileSync(join(dir, 'prometheus.yml'), config);
    const child = spawn(
      binary,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return new LocalPrometheus(child, dir, `http://127.0.0.1:${port}`);
  }

  logs(): string {
    return this.output;
  }

  running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** GET /-/ready answers 200. */
  async ready(): Promise<boolean> {
    try {
      return (await fetch(`${this.url}/-/ready`)).ok;
    } catch {
      return false;
    }
  }

  /** An instant query: the result vector (or scalar as one sample). */
  async query(expr: string): Promise<{ metric: Record<string, string>; value: number }[]> {
    const response = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await response.json()) as {
      status: string;
      error?: string;
      data?: { resultType: string; result: unknown };
    };
    if (body.status !== 'success' || body.data === undefined) {
      throw new Error(`query ${expr}: ${body.error ?? response.status}`);
    }
    if (body.data.resultType === 'scalar') {
      const [, value] = body.data.result as [number, string];
      return [{ metric: {}, value: Number(value) }];
    }
    return (body.data.result as { metric: Record<string, string>; value: [number, string] }[]).map((r) => ({
      metric: r.metric,
      value: Number(r.value[1]),
    }));
  }

  async stop(): Promise<void> {
    if (this.running()) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
