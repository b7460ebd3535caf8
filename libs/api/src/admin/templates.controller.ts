import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { RequestValidationError } from '@orrery/domain';
import { templateSyntaxProblem } from './template-syntax';
import { ApiBody } from '@nestjs/swagger';

/**
 * `POST /api/templates/validate` and its deprecated alias `POST /api/automations/templates/validate`
 * (the UI checks notification templates while editing an automation). The body is the template as
 * a JSON string (absent: ""). An empty 200 when it is well formed (the contract's status; upstream
 * sends 204, clients only look for success); 422 `{"error": {line, message, source}}` otherwise, as
 * upstream answers a Jinja syntax error.
 */
@Controller()
export class TemplatesController {
  @ApiBody({ required: false, schema: { type: 'string', default: '' } })
  @Post(['templates/validate', 'automations/templates/validate'])
  @HttpCode(200)
  validate(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply): object | undefined {
    const template = body === undefined || body === null ? '' : body;
    if (typeof template !== 'string') {
      throw new RequestValidationError([
        { type: 'string_type', loc: ['body'], msg: 'Input should be a valid string', input: template },
      ]);
    }
    const problem = templateSyntaxProblem(template);
    if (problem === null) return undefined;
    void reply.code(422);
    return { error: { line: problem.line, message: problem.message, source: template } };
  }
}
