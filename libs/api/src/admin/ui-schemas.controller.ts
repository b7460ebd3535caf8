import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { IsObject } from 'class-validator';
import { PrefectHttpError } from '../http/prefect-http.error';
import {
  InvalidSchemaError,
  type SchemaValuesValidation,
  validateSchemaValues,
} from './schema-values.validator';
import { ApiWireResponse, wire, wireModel } from '../openapi/wire-schema';

/** `Body_validate_obj_ui_schemas_validate_post`. */
export class ValidateSchemaValuesDto {
  @IsObject({ message: 'Input should be a valid dictionary' })
  schema!: Record<string, unknown>;

  @IsObject({ message: 'Input should be a valid dictionary' })
  values!: Record<string, unknown>;
}

/** An error list: messages, and errors nested under a property or a list index. */
const SCHEMA_VALUE_ERRORS = wire.array(
  wire.oneOf(wire.string(), wire.ref('SchemaValuePropertyError'), wire.ref('SchemaValueIndexError')),
);
wireModel('SchemaValuePropertyError', { property: wire.string(), errors: SCHEMA_VALUE_ERRORS });
wireModel('SchemaValueIndexError', { index: wire.integer(), errors: SCHEMA_VALUE_ERRORS });
const SCHEMA_VALUES_VALIDATION = wireModel('SchemaValuesValidationResponse', {
  errors: SCHEMA_VALUE_ERRORS,
  valid: wire.boolean(),
});

/**
 * `POST /api/ui/schemas/validate`: the UI's check of parameter / job-variable forms against their
 * JSON schema, `{errors, valid}` with errors nested by property and index; 422 `Invalid schema: …`
 * when the schema itself is not valid JSON Schema.
 */
@Controller('ui/schemas')
export class UiSchemasController {
  @ApiWireResponse(SCHEMA_VALUES_VALIDATION)
  @Post('validate')
  @HttpCode(200)
  validate(@Body() body: ValidateSchemaValuesDto): SchemaValuesValidation {
    try {
      return validateSchemaValues(body.schema, body.values);
    } catch (error) {
      if (error instanceof InvalidSchemaError) throw PrefectHttpError.unprocessable(error.message);
      throw error;
    }
  }
}
