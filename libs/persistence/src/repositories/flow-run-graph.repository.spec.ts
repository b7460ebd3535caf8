import { type GraphTaskRow, graphNodes } from './flow-run-graph.repository';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';
const D = '00000000-0000-4000-8000-00000000000d';

const t = (second: number): string => `2026-01-01T00:00:${String(second).padStart(2, '0')}.000000Z`;

function task(id: string, start: number, inputs: unknown, end: number | null = null): GraphTaskRow {
  return {
    kind: 'task-run',
    id,
    label: id.slice(-1),
    state_type: 'RUNNING',
    start_time: t(start),
    end_time: end === null ? null : t(end),
    task_inputs: inputs,
  };
}

describe('graphNodes: the edges upstream’s SQL builds from task_inputs', () => {
  it('parents, children and encapsulating edges, each ordered by the other side’s start time', () => {
    const nodes = graphNodes(
      [
        task(C, 3, { x: [{ input_type: 'task_run', id: B }], y: [{ id: A.toUpperCase() }] }),
        task(A, 1, {}),
        task(B, 2, { __parents__: [{ input_type: 'task_run', id: A }] }),
      ],
      t(0),
      10,
    );
    expect(nodes.map((n) => n.id)).toEqual([A, B, C]);
    expect(graphNodes([task(A, 1, {}, 2)], null, 10)).toHaveLength(1);
    const [a, b, c] = nodes;
    expect(c!.parent_ids).toEqual([A, B]); // ordered by the parents' start, whatever the input order
    expect(a!.child_ids).toEqual([C]); // B is wrapped by A, not its child
    expect(b!.encapsulating_ids).toEqual([A]);
    expect(b!.child_ids).toEqual([C]);
    expect(a!.parent_ids).toBeNull();
    expect(b!.parent_ids).toBeNull();
  });

  it('repeats an id once per expanded row of the joined node, as the SQL self-join does', () => {
    // A has two expanded rows (two arguments), so each edge to A counts twice.
    const nodes = graphNodes(
      [task(A, 1, { p: [{ id: D }, { id: 'not-a-node' }] }), task(B, 2, { x: [{ id: A }] })],
      t(0),
      10,
    );
    expect(nodes.find((n) => n.id === B)!.parent_ids).toEqual([A, A]);
    expect(nodes.find((n) => n.id === A)!.child_ids).toEqual([B, B]);
    expect(nodes.find((n) => n.id === A)!.parent_ids).toBeNull(); // D and the junk id are no nodes
  });

  it('drops nodes ended before since (after building edges), sorts open ends last and limits', () => {
    const nodes = graphNodes(
      [task(A, 1, {}, 5), task(B, 1, { x: [{ id: A }] }), task(C, 1, {}, 9), task(D, 0, {}, 2)],
      t(4),
      2,
    );
    expect(nodes.map((n) => n.id)).toEqual([A, C]);
    const all = graphNodes(
      [task(A, 1, {}, 5), task(B, 1, { x: [{ id: A }] }), task(C, 1, {}, 9), task(D, 0, {}, 2)],
      t(4),
      10,
    );
    expect(all.map((n) => n.id)).toEqual([A, C, B]);
    expect(all.find((n) => n.id === B)!.parent_ids).toEqual([A]);
  });

  it('treats non-object inputs, non-array values and empty arrays like the SQL does', () => {
    const nodes = graphNodes(
      [task(A, 1, null), task(B, 2, { x: 'scalar', y: [] }), task(C, 3, { z: [42, [A], { id: 7 }] })],
      t(0),
      10,
    );
    expect(nodes.every((n) => n.parent_ids === null && n.child_ids === null)).toBe(true);
  });
});
