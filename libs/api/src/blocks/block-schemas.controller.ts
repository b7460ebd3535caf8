import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { BlockSchemaService, MissingBlockTypeError } from '@orrery/blocks';
import { BlockSchemaRepository, BlockTypeRepository } from '@orrery/persistence';
import type { FastifyReply } from 'fastify';
import { API_OPTIONS, type ApiOptions } from '../api-options';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import { BLOCK_SCHEMA_BODY } from '../filters/filter-bodies';
import { parseListBody } from '../filters/list-body.parser';
import { PrefectHttpError } from '../http/prefect-http.error';
import { blockSchemaResponse } from './block.responses';
import { BlockSchemaCreateDto } from './block-schema.dto';
import { ApiFilterBody } from '../openapi/api-filter-body';
import { ApiWireResponse, CREATED_OR_EXISTING, wire } from '../openapi/wire-schema';
import { ApiQuery } from '@nestjs/swagger';
import { BLOCK_SCHEMA } from './block.responses';

const BLOCK_SCHEMA_NOT_FOUND = 'Block schema not found';

/** `/api/block_schemas` (spec-api-orchestration §7.6). */
@Controller('block_schemas')
export class BlockSchemasController {
  constructor(
    private readonly schemas: BlockSchemaRepository,
    private readonly types: BlockTypeRepository,
    private readonly writes: BlockSchemaService,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
  ) {}

  /** 201 for a new schema, 200 with the stored one when its checksum and version exist. */
  @ApiWireResponse(BLOCK_SCHEMA, CREATED_OR_EXISTING)
  @Post()
  async create(
    @Body() body: BlockSchemaCreateDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<object> {
    if ((await this.types.get(body.block_type_id)) === null)
      throw PrefectHttpError.notFound(`Block type ${body.block_type_id} not found.`);
    const { schema, created } = await this.writes.create(body).catch((error: unknown) => {
      if (error instanceof MissingBlockTypeError) throw PrefectHttpError.conflict(error.message);
      throw error;
    });
    void reply.code(created ? 201 : 200);
    return blockSchemaResponse(schema);
  }

  @ApiFilterBody(BLOCK_SCHEMA_BODY, 'list')
  @ApiWireResponse(wire.array(BLOCK_SCHEMA))
  @Post('filter')
  @HttpCode(200)
  async filter(@Body() body: unknown): Promise<object[]> {
    return (await this.schemas.list(parseListBody(BLOCK_SCHEMA_BODY, body, this.options.defaultLimit))).map(
      blockSchemaResponse,
    );
  }

  @ApiWireResponse(BLOCK_SCHEMA)
  @ApiQuery({ name: 'version', required: false, schema: { type: 'string' } })
  @Get('checksum/:checksum')
  async readByChecksum(
    @Param('checksum') checksum: string,
    @Query('version') version: string | undefined,
  ): Promise<object> {
    const schema = await this.schemas.getByChecksum(checksum, version ?? null);
    if (schema === null) throw PrefectHttpError.notFound(BLOCK_SCHEMA_NOT_FOUND);
    return blockSchemaResponse(schema);
  }

  @ApiWireResponse(BLOCK_SCHEMA)
  @Get(':id')
  async read(@Param('id', UuidParamPipe) id: string): Promise<object> {
    const schema = await this.schemas.get(id);
    if (schema === null) throw PrefectHttpError.notFound(BLOCK_SCHEMA_NOT_FOUND);
    return blockSchemaResponse(schema);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id', UuidParamPipe) id: string): Promise<void> {
    const schema = await this.schemas.get(id);
    if (schema === null) throw PrefectHttpError.notFound(BLOCK_SCHEMA_NOT_FOUND);
    if (schema.block_type.is_protected)
      throw new PrefectHttpError(403, 'Block schemas for protected block types cannot be deleted.');
    await this.schemas.delete(id);
  }
}
