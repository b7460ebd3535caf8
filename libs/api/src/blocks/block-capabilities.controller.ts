import { Controller, Get } from '@nestjs/common';
import { BlockSchemaRepository } from '@orrery/persistence';
import { ApiWireResponse, wire } from '../openapi/wire-schema';

/** `GET /api/block_capabilities/`: every capability some registered schema declares. */
@Controller('block_capabilities')
export class BlockCapabilitiesController {
  constructor(private readonly schemas: BlockSchemaRepository) {}

  @ApiWireResponse(wire.array(wire.string()))
  @Get()
  capabilities(): Promise<string[]> {
    return this.schemas.capabilities();
  }
}
