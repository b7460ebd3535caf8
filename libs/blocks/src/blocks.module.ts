import { Module } from '@nestjs/common';
import {
  BlockDocumentRepository,
  BlockSchemaRepository,
  BlockTypeRepository,
  ConfigurationRepository,
} from '@orrery/persistence';
import { BlockDocumentService } from './block-document.service';
import { BlockEncryptionKey } from './block-encryption.key';
import { BlockRegistrationService } from './block-registration.service';
import { BlockSchemaService } from './block-schema.service';
import { BlockTypeService } from './block-type.service';

/** Blocks for a process with a database: repositories, the document service and registration on start. */
@Module({
  providers: [
    BlockTypeRepository,
    BlockSchemaRepository,
    BlockDocumentRepository,
    ConfigurationRepository,
    BlockEncryptionKey,
    BlockDocumentService,
    BlockTypeService,
    BlockSchemaService,
    BlockRegistrationService,
  ],
  exports: [
    BlockTypeRepository,
    BlockSchemaRepository,
    BlockTypeService,
    BlockSchemaService,
    BlockDocumentService,
    BlockRegistrationService,
  ],
})
export class BlocksModule {}
