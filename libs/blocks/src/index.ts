export * from './built-in-block';
export { BUILT_IN_BLOCKS } from './catalogue';
export { blockSchemaChecksum } from './block-schema.checksum';
export { BlockDataCipher, blockKeyId } from './block-data.cipher';
export {
  type BlockKeyRotation,
  type BlockKeyRotationResult,
  rotateBlockEncryptionKey,
} from './block-key.rotation';
export { maskSecretFields, OBFUSCATED_SECRET, restoreObfuscatedSecrets } from './secret-fields.mask';
export { BLOCK_ENCRYPTION_KEY_NAME, BlockEncryptionKey, externalBlockKey } from './block-encryption.key';
export { BlockRegistrationService } from './block-registration.service';
export { BlockTypeService } from './block-type.service';
export { type BlockSchemaInput, BlockSchemaService } from './block-schema.service';
export { MissingBlockTypeError } from './missing-block-type.error';
export {
  type BlockDocumentInput,
  type BlockDocumentPatch,
  BlockDocumentService,
  type BlockDocumentView,
} from './block-document.service';
export { InvalidBlockDocumentError } from './invalid-block-document.error';
export { BlocksModule } from './blocks.module';
