/** A schema names a nested block whose type is not registered (the API answers 409). */
export class MissingBlockTypeError extends Error {
  constructor(slug: string) {
    super(
      `Cannot create block schema because block type '${slug}' was not found.Did you forget to register the block type?`,
    );
    this.name = 'MissingBlockTypeError';
  }
}
