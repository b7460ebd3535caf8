import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { BlockDocumentService, InvalidBlockDocumentError } from '@orrery/blocks';
import { API_OPTIONS, type ApiOptions } from '../api-options';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import { BLOCK_DOCUMENT_BODY } from '../filters/filter-bodies';
import { parseFilterCriteria, parseListBody } from '../filters/list-body.parser';
import { PrefectHttpError } from '../http/prefect-http.error';
import { RequestValidationError } from '@orrery/domain';
import { BLOCK_DOCUMENT, blockDocumentResponse } from './block.responses';
import { BlockDocumentCreateDto, BlockDocumentUpdateDto } from './block-document.dto';
import { includeSecretsQuery } from './include-secrets.query';
import { ApiFilterBody } from '../openapi/api-filter-body';
import { ApiQuery } from '@nestjs/swagger';
import { ApiWireResponse, wire } from '../openapi/wire-schema';

const BLOCK_DOCUMENT_NOT_FOUND = 'Block document not found';

/** Bad references and schema changes are the caller's mistake: 400 with the reason. */
async function asBadRequest<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof InvalidBlockDocumentError) throw new PrefectHttpError(400, error.message);
    throw error;
  }
}

/** `/api/block_documents` (spec-api-orchestration §7.6). */
@Controller('block_documents')
export class BlockDocumentsController {
  constructor(
    private readonly documents: BlockDocumentService,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
  ) {}

  @ApiWireResponse(BLOCK_DOCUMENT, 201)
  @Post()
  async create(@Body() body: BlockDocumentCreateDto): Promise<object> {
    const view = await asBadRequest(this.documents.create(body));
    if (view === null) throw PrefectHttpError.conflict('Block already exists');
    return blockDocumentResponse(view);
  }

  /** Anonymous documents are hidden unless the filter says otherwise. */
  @ApiFilterBody(BLOCK_DOCUMENT_BODY, 'list', { include_secrets: { type: 'boolean', default: false } })
  @ApiWireResponse(wire.array(BLOCK_DOCUMENT))
  @Post('filter')
  @HttpCode(200)
  async filter(@Body() body: unknown): Promise<object[]> {
    const request = parseListBody(BLOCK_DOCUMENT_BODY, body, this.options.defaultLimit);
    return (await this.documents.list(request, includeSecretsBody(body))).map(blockDocumentResponse);
  }

  @ApiFilterBody(BLOCK_DOCUMENT_BODY, 'count')
  @Post('count')
  @HttpCode(200)
  count(@Body() body: unknown): Promise<number> {
    return this.documents.count(parseFilterCriteria(BLOCK_DOCUMENT_BODY, body));
  }

  @ApiQuery({ name: 'include_secrets', required: false, schema: { type: 'boolean', default: false } })
  @ApiWireResponse(BLOCK_DOCUMENT)
  @Get(':id')
  async read(
    @Param('id', UuidParamPipe) id: string,
    @Query('include_secrets') includeSecrets: unknown,
  ): Promise<object> {
    const view = await this.documents.read(id, includeSecretsQuery(includeSecrets));
    if (view === null) throw PrefectHttpError.notFound(BLOCK_DOCUMENT_NOT_FOUND);
    return blockDocumentResponse(view);
  }

  @Patch(':id')
  @HttpCode(204)
  async update(@Param('id', UuidParamPipe) id: string, @Body() body: BlockDocumentUpdateDto): Promise<void> {
    const found = await asBadRequest(
      this.documents.update(id, {
        merge_existing_data: body.merge_existing_data,
        ...(body.data === undefined ? {} : { data: body.data }),
        ...(body.block_schema_id == null ? {} : { block_schema_id: body.block_schema_id }),
      }),
    );
    if (!found) throw PrefectHttpError.notFound(BLOCK_DOCUMENT_NOT_FOUND);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id', UuidParamPipe) id: string): Promise<void> {
    if (!(await this.documents.delete(id))) throw PrefectHttpError.notFound(BLOCK_DOCUMENT_NOT_FOUND);
  }
}

/** The filter body's `include_secrets` (default false). */
function includeSecretsBody(body: unknown): boolean {
  const value =
    typeof body === 'object' && body !== null
      ? (body as { include_secrets?: unknown }).include_secrets
      : undefined;
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  throw new RequestValidationError([
    {
      type: 'bool_type',
      loc: ['body', 'include_secrets'],
      msg: 'Input should be a valid boolean',
      input: value,
    },
  ]);
}
