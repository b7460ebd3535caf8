import { Module } from '@nestjs/common';
import { AutomationRepository, EventRepository } from '@orrery/persistence';
import { AutomationTestController } from './automation-test.controller';
import { AutomationsController } from './automations.controller';

/**
 * `/api/automations` CRUD (`/automations/templates/validate` is served by the AdminModule), and
 * Orrery's own `/api/orrery/automations/{id}/test` (the explain replay).
 */
@Module({
  controllers: [AutomationsController, AutomationTestController],
  providers: [AutomationRepository, EventRepository],
})
export class AutomationsModule {}
