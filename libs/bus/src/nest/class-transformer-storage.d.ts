// class-transformer keeps its decorator metadata (`@Type`) in a module it does not re-export from
// its index; plainToDto reads it to tell nested DTOs from free-form JSON properties (and the API its
// OpenAPI schemas).
declare module 'class-transformer/cjs/storage' {
  import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
  export const defaultMetadataStorage: MetadataStorage;
}
