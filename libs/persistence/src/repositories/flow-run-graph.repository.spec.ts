import { graphEdges } from './flow-run-graph.repository';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';
const D = '00000000-0000-4000-8000-00000000000d';

/** The edges of nodes `ids` (in graph order) with `inputs` by node id, each list as ids; absent lists as null. */
function edgesOf(ids: readonly string[], inputs: Record<string, unknown>) {
  const edges = graphEdges(
    ids,
    ids.map((id) => inputs[id]),
  );
  const named = (list: readonly number[] | undefined): string[] | null =>
    list === undefined ? null : list.map((k) => ids[k]!);
  return (id: string) => {
    const k = ids.indexOf(id);
    return {
      parents: named(edges.parents.get(k)),
      children: named(edges.children.get(k)),
      encapsulating: named(edges.encapsulating.get(k)),
    };
  };
}

describe('graphEdges: the edges upstream’s SQL builds from task_inputs', () => {
  it('parents, children and encapsulating edges, each in graph order of the other side', () => {
    const of = edgesOf([A, B, C], {
      [C]: { x: [{ input_type: 'task_run', id: B }], y: [{ id: A.toUpperCase() }] },
      [B]: { __parents__: [{ input_type: 'task_run', id: A }] },
    });
    expect(of(C).parents).toEqual([A, B]); // graph order of the parents, whatever the input order
    expect(of(A).children).toEqual([C]); // B is wrapped by A, not its child
    expect(of(B).encapsulating).toEqual([A]);
    expect(of(B).children).toEqual([C]);
    expect(of(A).parents).toBeNull();
    expect(of(B).parents).toBeNull();
    expect(of(C).children).toBeNull();
  });

  it('repeats an id once per expanded row of the joined node, as the SQL self-join does', () => {
    // A has two expanded rows (two arguments), so each edge to A counts twice.
    const of = edgesOf([A, B], { [A]: { p: [{ id: D }, { id: 'not-a-node' }] }, [B]: { x: [{ id: A }] } });
    expect(of(B).parents).toEqual([A, A]);
    expect(of(A).children).toEqual([B, B]);
    expect(of(A).parents).toBeNull(); // D and the junk id are no nodes
  });

  it('lists an encapsulating node once, however often the inputs name it', () => {
    const of = edgesOf([A, B], { [B]: { __parents__: [{ id: A }, { id: `{${A.replace(/-/g, '')}}` }] } });
    expect(of(B).encapsulating).toEqual([A]);
    expect(of(A).children).toBeNull();
  });

  it('treats non-object inputs, non-array values and empty arrays like the SQL does', () => {
    const of = edgesOf([A, B, C], {
      [A]: null,
      [B]: { x: 'scalar', y: [] },
      [C]: { z: [42, [A], { id: 7 }] },
    });
    for (const id of [A, B, C])
      expect(of(id)).toEqual({ parents: null, children: null, encapsulating: null });
  });

  it('ignores inputs of ids that are no node', () => {
    const of = edgesOf([A], { [D]: { x: [{ id: A }] } });
    expect(of(A).children).toBeNull();
  });
});
