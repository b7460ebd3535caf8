import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type BusMessage, type ConsumerHandle, MessageBus } from '@orrery/bus';
import {
  ContractValidator,
  createTestDatabase,
  startTestApi,
  type TestDatabase,
  waitFor,
} from '@orrery/testing';
import { type Json, SDK_HEADERS, sdkSequenceScenarios } from './sdk-sequences.scenarios';

/** The SDK's call sequences in-process (HTTP inject), with the state events read off the bus. */
describe('SDK sequences through the API (orchestration path)', () => {
  const contract = new ContractValidator();
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let consumer: ConsumerHandle;
  const events: Json[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    app = await startTestApi({ kind: 'postgres', url: db.url, poolSize: 3 });
    consumer = app.get(MessageBus).consume<Json>({
      kind: 'single',
      topic: 'events',
      group: 'sdk-sequences-test',
      handle: (message: BusMessage<Json>) => {
        events.push(message.data);
      },
    });
  });
  afterAll(async () => {
    await consumer.stop();
    await app.close();
    await db.drop();
  });

  sdkSequenceScenarios(() => ({
    call: async (method, url, path, body) => {
      const response = await app
        .getHttpAdapter()
        .getInstance()
        .inject({
          method: method as 'GET',
          url,
          headers: { ...SDK_HEADERS, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
        });
      const parsed: unknown = response.body === '' ? null : response.json();
      if (!path.includes('/input'))
        contract.assert({ method, path, status: response.statusCode, body: parsed });
      return { status: response.statusCode, body: parsed as Json };
    },
    flowRunEvents: (flowRunId, atLeast) =>
      waitFor(
        () => {
          const found = events.filter(
            (e) => (e.resource as Json)['prefect.resource.id'] === `prefect.flow-run.${flowRunId}`,
          );
          return found.length >= atLeast ? found : undefined;
        },
        { what: `${atLeast} flow-run events` },
      ),
  }));
});
