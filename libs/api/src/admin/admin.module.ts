import { Module } from '@nestjs/common';
import { ResultStorageDefaultRepository } from '@orrery/persistence';
import { AdminController } from './admin.controller';
import { CollectionsController } from './collections.controller';
import { TemplatesController } from './templates.controller';
import { UiSchemasController } from './ui-schemas.controller';

/**
 * Admin and UI support: `/admin/settings`, `/admin/storage`, `/collections/views/{view}`,
 * `/templates/validate` (+ the deprecated `/automations/templates/validate`), `/ui/schemas/validate`.
 */
@Module({
  controllers: [AdminController, CollectionsController, TemplatesController, UiSchemasController],
  providers: [ResultStorageDefaultRepository],
})
export class AdminModule {}
