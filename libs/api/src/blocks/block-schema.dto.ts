import { IsArray, IsObject, IsString } from 'class-validator';
import { AbsentAllowed } from '../common/validators';
import { IsLaxUuid } from '../common/lax-scalars';

/** `BlockSchemaCreate`: the body of `POST /block_schemas/`. */
export class BlockSchemaCreateDto {
  @AbsentAllowed()
  @IsObject()
  fields: Record<string, unknown> = {};

  @IsLaxUuid()
  block_type_id!: string;

  @AbsentAllowed()
  @IsArray()
  @IsString({ each: true })
  capabilities: string[] = [];

  @AbsentAllowed()
  @IsString()
  version: string = 'non-versioned';
}
