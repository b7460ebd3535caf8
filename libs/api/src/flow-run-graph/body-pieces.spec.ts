import { BodyPieces, PIECE_BYTES } from './body-pieces';

const text = (pieces: readonly Buffer[]): string => Buffer.concat(pieces).toString('utf8');

describe('BodyPieces: a large body in pooled buffers', () => {
  it('writes the parts in order as UTF-8, no piece over PIECE_BYTES but a part longer than one', () => {
    const body = new BodyPieces();
    const parts: string[] = [];
    for (let k = 0; k < 2000; k++) parts.push(`{"n":${k},"label":"Überprüfung ✓ ${k}"},`);
    const long = 'x'.repeat(PIECE_BYTES + 10);
    parts.push(long, ']');
    for (const part of parts) body.add(part);
    const { pieces, length } = body.finish();
    expect(text(pieces)).toBe(parts.join(''));
    expect(length).toBe(Buffer.byteLength(parts.join('')));
    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces.filter((piece) => piece.length > PIECE_BYTES)).toEqual([Buffer.from(long)]);
    body.recycle();
  });

  it('reuses a recycled body’s buffers, and never one still in flight', () => {
    const first = new BodyPieces();
    first.add('a'.repeat(1000));
    const [sent] = first.finish().pieces;
    const inFlight = new BodyPieces();
    inFlight.add('b'.repeat(1000));
    const [other] = inFlight.finish().pieces;
    expect(other!.buffer).not.toBe(sent!.buffer);
    expect(text([sent!])).toBe('a'.repeat(1000));

    first.recycle();
    const next = new BodyPieces();
    next.add('c'.repeat(10));
    expect(next.finish().pieces[0]!.buffer).toBe(sent!.buffer);
    inFlight.recycle();
    next.recycle();
  });
});

describe('BodyPieces: spans', () => {
  it('tells where an added text lies, and copies such spans into another body', () => {
    const store = new BodyPieces();
    const spans = ['["a",{"label":"ä"}', 'plain', 'y'.repeat(PIECE_BYTES)].map((part) =>
      store.addMarked(part),
    );
    expect(spans.map(({ buffer, start, end }) => buffer.toString('utf8', start, end))).toEqual([
      '["a",{"label":"ä"}',
      'plain',
      'y'.repeat(PIECE_BYTES),
    ]);
    const body = new BodyPieces();
    body.add('[');
    for (const { buffer, start, end } of [spans[1]!, spans[0]!, spans[2]!]) body.addBytes(buffer, start, end);
    const { pieces, length } = body.finish();
    const expected = `[plain["a",{"label":"ä"}${'y'.repeat(PIECE_BYTES)}`;
    expect(text(pieces)).toBe(expected);
    expect(length).toBe(Buffer.byteLength(expected));
    store.recycle();
    body.recycle();
  });
});
