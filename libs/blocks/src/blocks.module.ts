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

/** Blocks for a process with a database: repositories, the document service and registration on start. */
@Module({
  providers: [
    BlockTypeRepository,
    BlockSchemaRepository,
    BlockDocumentRepository,
    ConfigurationRepository,
    BlockEncryptionKey,
    BlockDocumentService,
    BlockRegistrationService,
  ],
  exports: [BlockTypeRepository, BlockSchemaRepository, BlockDocumentService, BlockRegistrationService],
})
export class BlocksModule {}
