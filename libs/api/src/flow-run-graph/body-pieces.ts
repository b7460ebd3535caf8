/** Bytes per piece of a body written by BodyPieces. */
export const PIECE_BYTES = 64 * 1024;

/** Pieces kept for reuse between responses (8 MiB): a few large graphs in flight at once. */
const POOL_PIECES = 128;

/** Where a text added by `addMarked` lies: its bytes, valid until the pieces are recycled. */
export interface Span {
  readonly buffer: Buffer;
  readonly start: number;
  readonly end: number;
}

/** UTF-8 takes at most three bytes per UTF-16 code unit. */
const MAX_UTF8_PER_UNIT = 3;

/**
 * A large response body written as UTF-8 into buffers of PIECE_BYTES, taken from a pool the
 * finished responses give back. A body of megabytes built as one string or buffer lives in memory
 * mapped afresh for each response (V8's large-object space, malloc's mmap), and as many pieces of
 * string it is copied and promoted by V8's young-generation collector into old-space pages mapped
 * afresh; either way the kernel faults every page in, which on a virtual machine (~11 µs a page)
 * cost more than building the body. Pooled buffers are off the V8 heap and already mapped.
 *
 * A piece goes back to the pool only through `recycle`, once the response has been handed to the
 * kernel: until then the socket may still be writing from it.
 */
export class BodyPieces {
  private static readonly pool: Buffer[] = [];

  private readonly pieces: Buffer[] = [];
  /** Buffers of this body that came from (and may return to) the pool. */
  private readonly pooled: Buffer[] = [];
  private current: Buffer | null = null;
  private offset = 0;
  private bytes = 0;

  /** Appends `text`; a part longer than a piece gets a buffer of its own. */
  add(text: string): void {
    this.addMarked(text);
  }

  /** Appends `text` and tells where its bytes lie. */
  addMarked(text: string): Span {
    const worst = text.length * MAX_UTF8_PER_UNIT;
    if (worst > PIECE_BYTES) {
      this.cut();
      const own = Buffer.from(text, 'utf8');
      this.pieces.push(own);
      this.bytes += own.length;
      return { buffer: own, start: 0, end: own.length };
    }
    const buffer = this.room(worst);
    const start = this.offset;
    this.offset += buffer.write(text, start, 'utf8');
    return { buffer, start, end: this.offset };
  }

  /** Appends bytes `start` to `end` of `buffer` (a span of another body's pieces). */
  addBytes(buffer: Buffer, start: number, end: number): void {
    const length = end - start;
    if (length > PIECE_BYTES) {
      this.cut();
      this.pieces.push(Buffer.from(buffer.subarray(start, end)));
      this.bytes += length;
      return;
    }
    const target = this.room(length);
    this.offset += buffer.copy(target, this.offset, start, end);
  }

  /** The body's pieces, in order, and its length in bytes. */
  finish(): { readonly pieces: readonly Buffer[]; readonly length: number } {
    this.cut();
    return { pieces: this.pieces, length: this.bytes };
  }

  /** Gives this body's pooled buffers back: call once the response that sent them has finished. */
  recycle(): void {
    for (const buffer of this.pooled.splice(0)) {
      if (BodyPieces.pool.length < POOL_PIECES) BodyPieces.pool.push(buffer);
    }
    this.pieces.length = 0;
    this.current = null;
  }

  /** The current piece, with room for `bytes` more (a new one when it has not). */
  private room(bytes: number): Buffer {
    if (this.current === null || this.offset + bytes > PIECE_BYTES) {
      this.cut();
      this.current = BodyPieces.pool.pop() ?? Buffer.allocUnsafeSlow(PIECE_BYTES);
      this.pooled.push(this.current);
    }
    return this.current;
  }

  private cut(): void {
    if (this.current !== null && this.offset > 0) {
      this.pieces.push(this.current.subarray(0, this.offset));
      this.bytes += this.offset;
    }
    this.current = null;
    this.offset = 0;
  }
}
