import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { BlockDocumentService, BlockRegistrationService, BlockTypeService } from '@orrery/blocks';
import { BlockTypeRepository } from '@orrery/persistence';
import { API_OPTIONS, type ApiOptions } from '../api-options';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import { BLOCK_TYPE_BODY } from '../filters/filter-bodies';
import { parseListBody } from '../filters/list-body.parser';
import { PrefectHttpError } from '../http/prefect-http.error';
import { blockDocumentResponse, blockTypeResponse } from './block.responses';
import { BlockTypeCreateDto, BlockTypeUpdateDto } from './block-type.dto';
import { includeSecretsQuery } from './include-secrets.query';
import { ApiFilterBody } from '../openapi/api-filter-body';
import { ApiQuery } from '@nestjs/swagger';
import { ApiWireResponse, wire } from '../openapi/wire-schema';
import { BLOCK_DOCUMENT, BLOCK_TYPE } from './block.responses';

const BLOCK_TYPE_NOT_FOUND = 'Block type not found';
/** The largest LIMIT the list queries bind (int4). */
const ALL_ROWS = 2_147_483_647;

/** Upstream stores descriptions and code examples HTML-escaped (`html.escape(…, quote=False)`). */
function escapeHtml(text: string | null): string | null {
  return text === null ? null : text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `/api/block_types` (spec-api-orchestration §7.6). */
@Controller('block_types')
export class BlockTypesController {
  constructor(
    private readonly types: BlockTypeRepository,
    private readonly writes: BlockTypeService,
    private readonly documents: BlockDocumentService,
    private readonly registration: BlockRegistrationService,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
  ) {}

  @ApiWireResponse(BLOCK_TYPE, 201)
  @Post()
  async create(@Body() body: BlockTypeCreateDto): Promise<object> {
    // "Prefect…" names are reserved for the system's own blocks.
    if (body.name.toLowerCase().startsWith('prefect'))
      throw new PrefectHttpError(403, "Block type names beginning with 'Prefect' are reserved.");
    const created = await this.writes.create({
      ...body,
      description: escapeHtml(body.description),
      code_example: escapeHtml(body.code_example),
      is_protected: false,
    });
    if (created === null)
      throw PrefectHttpError.conflict(`Block type with name "${body.name}" already exists`);
    return blockTypeResponse(created);
  }

  @ApiFilterBody(BLOCK_TYPE_BODY, 'list')
  @ApiWireResponse(wire.array(BLOCK_TYPE))
  @Post('filter')
  @HttpCode(200)
  async filter(@Body() body: unknown): Promise<object[]> {
    return (await this.types.list(parseListBody(BLOCK_TYPE_BODY, body, this.options.defaultLimit))).map(
      blockTypeResponse,
    );
  }

  /** Seeds the protected system block types (`secret`, `webhook`, `local-file-system`). */
  @Post('install_system_block_types')
  @HttpCode(200)
  async installSystemBlockTypes(): Promise<null> {
    await this.registration.installSystemBlockTypes();
    return null;
  }

  @ApiQuery({ name: 'include_secrets', required: false, schema: { type: 'boolean', default: false } })
  @ApiWireResponse(BLOCK_DOCUMENT)
  @Get('slug/:slug/block_documents/name/:name')
  async readDocumentByName(
    @Param('slug') slug: string,
    @Param('name') name: string,
    @Query('include_secrets') includeSecrets: unknown,
  ): Promise<object> {
    const view = await this.documents.readByName(slug, name, includeSecretsQuery(includeSecrets));
    if (view === null) throw PrefectHttpError.notFound('Block document not found');
    return blockDocumentResponse(view);
  }

  @ApiQuery({ name: 'include_secrets', required: false, schema: { type: 'boolean', default: false } })
  @ApiWireResponse(wire.array(BLOCK_DOCUMENT))
  @Get('slug/:slug/block_documents')
  async readDocuments(
    @Param('slug') slug: string,
    @Query('include_secrets') includeSecrets: unknown,
  ): Promise<object[]> {
    const include = includeSecretsQuery(includeSecrets);
    const type = await this.types.getBySlug(slug);
    if (type === null) throw PrefectHttpError.notFound(BLOCK_TYPE_NOT_FOUND);
    const views = await this.documents.list(
      {
        block_documents: { block_type_id: { any_: [type.id] } },
        sort: 'NAME_ASC',
        limit: ALL_ROWS, // upstream reads every document of the type here, without a limit
        offset: 0,
      },
      include,
    );
    return views.map(blockDocumentResponse);
  }

  @ApiWireResponse(BLOCK_TYPE)
  @Get('slug/:slug')
  async readBySlug(@Param('slug') slug: string): Promise<object> {
    const type = await this.types.getBySlug(slug);
    if (type === null) throw PrefectHttpError.notFound(BLOCK_TYPE_NOT_FOUND);
    return blockTypeResponse(type);
  }

  @ApiWireResponse(BLOCK_TYPE)
  @Get(':id')
  async read(@Param('id', UuidParamPipe) id: string): Promise<object> {
    const type = await this.types.get(id);
    if (type === null) throw PrefectHttpError.notFound(BLOCK_TYPE_NOT_FOUND);
    return blockTypeResponse(type);
  }

  /** Writes only when a field differs, so concurrent registrations of one block do not queue. */
  @Patch(':id')
  @HttpCode(204)
  async update(@Param('id', UuidParamPipe) id: string, @Body() body: BlockTypeUpdateDto): Promise<void> {
    if (!(await this.writes.update(id, body))) throw PrefectHttpError.notFound(BLOCK_TYPE_NOT_FOUND);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id', UuidParamPipe) id: string): Promise<void> {
    const type = await this.types.get(id);
    if (type === null) throw PrefectHttpError.notFound(BLOCK_TYPE_NOT_FOUND);
    if (type.is_protected) throw new PrefectHttpError(403, 'protected block types cannot be deleted.');
    await this.writes.delete(id);
  }
}
