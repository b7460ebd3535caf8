import { type FlowRunGraphNodeRow, type GraphEdges, graphEdges } from '@orrery/persistence';
import type { BodyPieces } from './body-pieces';

const UUID_LENGTH = 36;
/** A head starts `["<id>"`. */
const ID_OFFSET = 2;

/** The nodes once all have arrived: ids in graph order, which are in the graph, and the edges. */
export interface ResolvedGraphNodes {
  readonly ids: readonly string[];
  /** False for a node left out by `since`. */
  readonly kept: readonly boolean[];
  readonly edges: GraphEdges;
}

/**
 * A run's graph nodes as FlowRunGraphRepository.eachNode hands them over. While the rows arrive,
 * each head and each task-inputs text is written into `store` (pooled buffers, off the V8 heap)
 * and only where its bytes lie is kept: the 1.4 MB of text of a 5 000-node run (and any string or
 * object made from it) would otherwise survive, and be copied by, the collections that run while
 * the rest arrives. Ids, parsed inputs and edges are made from the bytes in one synchronous pass
 * at the end (`resolve`), and are garbage as soon as the body is written.
 */
export class GraphNodes {
  /** Per node: the piece holding its head (or its bare id, when left out by `since`) and where. */
  private readonly headBuffers: Buffer[] = [];
  private readonly headStarts: number[] = [];
  private readonly headEnds: number[] = [];
  /** Per node with task inputs: its position, and where their JSON text lies. */
  private readonly inputNodes: number[] = [];
  private readonly inputBuffers: Buffer[] = [];
  private readonly inputStarts: number[] = [];
  private readonly inputEnds: number[] = [];

  constructor(private readonly store: BodyPieces) {}

  /** Takes one node (pass as eachNode's visitor). */
  readonly visit = ({ head, inputs }: FlowRunGraphNodeRow): void => {
    const span = this.store.addMarked(head);
    this.headBuffers.push(span.buffer);
    this.headStarts.push(span.start);
    this.headEnds.push(span.end);
    if (inputs !== null) {
      const text = this.store.addMarked(inputs);
      this.inputNodes.push(this.headBuffers.length - 1);
      this.inputBuffers.push(text.buffer);
      this.inputStarts.push(text.start);
      this.inputEnds.push(text.end);
    }
  };

  /** Ids, kept flags and edges, once every node has been visited. */
  resolve(): ResolvedGraphNodes {
    const count = this.headBuffers.length;
    const ids = new Array<string>(count);
    const kept = new Array<boolean>(count);
    for (let k = 0; k < count; k++) {
      const start = this.headStarts[k]!;
      kept[k] = this.headEnds[k]! - start !== UUID_LENGTH;
      const from = kept[k] ? start + ID_OFFSET : start;
      ids[k] = this.headBuffers[k]!.toString('latin1', from, from + UUID_LENGTH);
    }
    const inputs = new Array<unknown>(count);
    for (let i = 0; i < this.inputNodes.length; i++) {
      const text = this.inputBuffers[i]!.toString('utf8', this.inputStarts[i], this.inputEnds[i]);
      inputs[this.inputNodes[i]!] = JSON.parse(text);
    }
    return { ids, kept, edges: graphEdges(ids, inputs) };
  }

  /** Appends node `k`'s head to `body`. */
  writeHead(k: number, body: BodyPieces): void {
    body.addBytes(this.headBuffers[k]!, this.headStarts[k]!, this.headEnds[k]!);
  }
}
