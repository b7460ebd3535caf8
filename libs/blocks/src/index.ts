export * from './built-in-block';
export { BUILT_IN_BLOCKS } from './catalogue';
export { blockSchemaChecksum } from './block-schema.checksum';
export { BlockDataCipher } from './block-data.cipher';
export { maskSecretFields, OBFUSCATED_SECRET } from './secret-fields.mask';
