/** A block document write the API answers with 400 (bad reference, schema of another type, cycle). */
export class InvalidBlockDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidBlockDocumentError';
  }
}
