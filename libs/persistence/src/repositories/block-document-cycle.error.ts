/** Thrown when a block document reference would make a document reach itself. */
export class BlockDocumentCycleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BlockDocumentCycleError';
  }
}
