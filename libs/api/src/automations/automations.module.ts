import { Module } from '@nestjs/common';
import { AutomationRepository } from '@orrery/persistence';
import { AutomationsController } from './automations.controller';

/** `/api/automations` CRUD (`/automations/templates/validate` is served by the AdminModule). */
@Module({
  controllers: [AutomationsController],
  providers: [AutomationRepository],
})
export class AutomationsModule {}
