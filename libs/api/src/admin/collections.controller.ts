import { Controller, Get, Param } from '@nestjs/common';
import { PrefectHttpError } from '../http/prefect-http.error';
import { aggregateWorkerMetadata } from './worker-metadata';
import { ApiWireResponse, wire } from '../openapi/wire-schema';

/** The collection-registry views Prefect knows; only worker metadata ships with the server. */
const KNOWN_VIEWS = new Set([
  'aggregate-block-metadata',
  'aggregate-flow-metadata',
  'aggregate-worker-metadata',
  'demo-flows',
]);

/**
 * `GET /api/collections/views/{view}`. Upstream fetches the registry from GitHub and falls back to
 * the copy bundled in the package, which holds only `aggregate-worker-metadata`; this server never
 * goes to the network and serves that view from its own definition. The other known views have no
 * content here (404 "Requested content missing …"); unknown views 404 like upstream.
 */
@Controller('collections')
export class CollectionsController {
  @ApiWireResponse(wire.dict())
  @Get('views/:view')
  view(@Param('view') view: string): Record<string, unknown> {
    if (view === 'aggregate-worker-metadata') return aggregateWorkerMetadata();
    if (KNOWN_VIEWS.has(view)) throw PrefectHttpError.notFound(`Requested content missing for view ${view}`);
    throw PrefectHttpError.notFound(`View ${view} not found in registry`);
  }
}
