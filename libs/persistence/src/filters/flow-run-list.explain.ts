import type { FlowRunCriteria, FlowRunSort, ListRequest } from '@orrery/domain';
import type { DataSource } from 'typeorm';
import { flowRunListQuery } from './flow-run-list.query';

/** One node of a PostgreSQL plan, reduced to what index-use assertions and benchmarks read. */
export interface PlanNodeSummary {
  nodeType: string;
  relation: string | null;
  index: string | null;
}

interface RawPlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: RawPlanNode[];
}

/**
 * `EXPLAIN (FORMAT JSON)` of the flow-run list statement for `request`, as pretty-printed JSON
 * text (what a benchmark prints) — with `analyze`, the statement is executed and timed too.
 */
export async function explainFlowRunListQuery(
  dataSource: DataSource,
  request: ListRequest<FlowRunCriteria, FlowRunSort>,
  options: { analyze?: boolean } = {},
): Promise<string> {
  const { sql, params } = flowRunListQuery(request);
  const rows: Array<{ 'QUERY PLAN': unknown }> = await dataSource.query(
    `EXPLAIN (FORMAT JSON${options.analyze === true ? ', ANALYZE, BUFFERS' : ''}) ${sql}`,
    params,
  );
  const plan = rows[0]?.['QUERY PLAN'];
  return JSON.stringify(typeof plan === 'string' ? JSON.parse(plan) : plan, null, 2);
}

/** Every node of an EXPLAIN (FORMAT JSON) text, depth first. */
export function summarizePlan(planJson: string): PlanNodeSummary[] {
  const roots = JSON.parse(planJson) as Array<{ Plan: RawPlanNode }>;
  const out: PlanNodeSummary[] = [];
  const walk = (node: RawPlanNode): void => {
    out.push({
      nodeType: node['Node Type'],
      relation: node['Relation Name'] ?? null,
      index: node['Index Name'] ?? null,
    });
    for (const child of node.Plans ?? []) walk(child);
  };
  for (const root of roots) walk(root.Plan);
  return out;
}
