/** A parameterised SQL fragment: `$n` placeholders in `sql`, their values in `params` (in order). */
export interface SqlFragment {
  readonly sql: string;
  readonly params: unknown[];
}

/**
 * Collects query parameters and hands out their `$n` placeholders, numbering from `offset + 1` so a
 * compiled WHERE can be embedded in a statement that already binds `offset` parameters.
 */
export class SqlParameters {
  readonly values: unknown[] = [];

  constructor(private readonly offset = 0) {}

  /** Binds `value` and returns its placeholder, with `::cast` appended when given. */
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    const placeholder = `$${this.offset + this.values.length}`;
    return cast === undefined ? placeholder : `${placeholder}::${cast}`;
  }

  /** The placeholder the next `add` will return (without binding anything). */
  get next(): number {
    return this.offset + this.values.length + 1;
  }
}
