import { Controller, Get } from '@nestjs/common';
import { BlockSchemaRepository } from '@orrery/persistence';

/** `GET /api/block_capabilities/`: every capability some registered schema declares. */
@Controller('block_capabilities')
export class BlockCapabilitiesController {
  constructor(private readonly schemas: BlockSchemaRepository) {}

  @Get()
  capabilities(): Promise<string[]> {
    return this.schemas.capabilities();
  }
}
