// class-transformer keeps its decorator metadata (`@Type`) in a module it does not re-export from
// its index; the validation pipe reads it to tell nested DTOs from free-form JSON properties.
declare module 'class-transformer/cjs/storage' {
  import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
  export const defaultMetadataStorage: MetadataStorage;
}
