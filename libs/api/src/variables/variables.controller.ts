import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { type VariableChanges, VariableRepository } from '@orrery/persistence';
import { API_OPTIONS, type ApiOptions } from '../api-options';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import { VARIABLE_BODY } from '../filters/filter-bodies';
import { parseFilterCriteria, parseListBody } from '../filters/list-body.parser';
import { PrefectHttpError } from '../http/prefect-http.error';
import { VariableCreateDto, variableResponse, VariableUpdateDto } from './variable.dto';
import { VariablesService } from './variables.service';
import { ApiFilterBody } from '../openapi/api-filter-body';
import { ApiWireResponse, wire } from '../openapi/wire-schema';
import { VARIABLE } from './variable.dto';

const VARIABLE_NOT_FOUND = 'Variable not found.';

/** `/api/variables` (spec-api-orchestration §7.5). */
@Controller('variables')
export class VariablesController {
  constructor(
    private readonly variables: VariableRepository,
    private readonly writes: VariablesService,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
  ) {}

  @ApiWireResponse(VARIABLE, 201)
  @Post()
  @HttpCode(201)
  async create(@Body() body: VariableCreateDto): Promise<object> {
    const created = await this.writes.create({ name: body.name, value: body.value, tags: body.tags });
    // Python's repr of the name, as upstream formats it with {name!r}.
    if (created === null)
      throw PrefectHttpError.conflict(`A variable with the name ${pyRepr(body.name)} already exists.`);
    return variableResponse(created);
  }

  @ApiWireResponse(wire.array(VARIABLE))
  @ApiFilterBody(VARIABLE_BODY, 'list')
  @Post('filter')
  @HttpCode(200)
  async filter(@Body() body: unknown): Promise<object[]> {
    const request = parseListBody(VARIABLE_BODY, body, this.options.defaultLimit);
    return (await this.variables.list(request)).map(variableResponse);
  }

  @ApiFilterBody(VARIABLE_BODY, 'count')
  @Post('count')
  @HttpCode(200)
  count(@Body() body: unknown): Promise<number> {
    return this.variables.count(parseFilterCriteria(VARIABLE_BODY, body));
  }

  @ApiWireResponse(VARIABLE)
  @Get('name/:name')
  async readByName(@Param('name') name: string): Promise<object> {
    const variable = await this.variables.getByName(name);
    if (variable === null) throw PrefectHttpError.notFound(VARIABLE_NOT_FOUND);
    return variableResponse(variable);
  }

  @Patch('name/:name')
  @HttpCode(204)
  async updateByName(@Param('name') name: string, @Body() body: VariableUpdateDto): Promise<void> {
    if (!(await this.writes.update({ name }, changesOf(body))))
      throw PrefectHttpError.notFound(VARIABLE_NOT_FOUND);
  }

  @Delete('name/:name')
  @HttpCode(204)
  async deleteByName(@Param('name') name: string): Promise<void> {
    if (!(await this.writes.delete({ name }))) throw PrefectHttpError.notFound(VARIABLE_NOT_FOUND);
  }

  @ApiWireResponse(VARIABLE)
  @Get(':id')
  async read(@Param('id', UuidParamPipe) id: string): Promise<object> {
    const variable = await this.variables.get(id);
    if (variable === null) throw PrefectHttpError.notFound(VARIABLE_NOT_FOUND);
    return variableResponse(variable);
  }

  @Patch(':id')
  @HttpCode(204)
  async update(@Param('id', UuidParamPipe) id: string, @Body() body: VariableUpdateDto): Promise<void> {
    if (!(await this.writes.update({ id }, changesOf(body))))
      throw PrefectHttpError.notFound(VARIABLE_NOT_FOUND);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id', UuidParamPipe) id: string): Promise<void> {
    if (!(await this.writes.delete({ id }))) throw PrefectHttpError.notFound(VARIABLE_NOT_FOUND);
  }
}

/** The keys the client sent; `null` name/tags are dropped because those columns cannot be null. */
function changesOf(body: VariableUpdateDto): VariableChanges {
  return {
    ...(body.name != null ? { name: body.name } : {}),
    ...(body.value !== undefined ? { value: body.value } : {}),
    ...(body.tags != null ? { tags: body.tags } : {}),
  };
}

/** Python's `repr` of a str, enough for names of `[a-z0-9_-]` (the only ones that get this far). */
function pyRepr(text: string): string {
  return text.includes("'") && !text.includes('"') ? `"${text}"` : `'${text.replace(/'/g, "\\'")}'`;
}
