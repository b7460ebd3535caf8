import { Module } from '@nestjs/common';
import { BlocksModule } from '@orrery/blocks';
import { BlockCapabilitiesController } from './block-capabilities.controller';
import { BlockDocumentsController } from './block-documents.controller';
import { BlockSchemasController } from './block-schemas.controller';
import { BlockTypesController } from './block-types.controller';

/** Block types, schemas, documents and capabilities (spec-api-orchestration §7.6). */
@Module({
  imports: [BlocksModule],
  controllers: [
    BlockTypesController,
    BlockSchemasController,
    BlockDocumentsController,
    BlockCapabilitiesController,
  ],
})
export class BlocksApiModule {}
