// event-persister: writes events from the bus to the events tables in batches.
import './instrument';
import 'reflect-metadata';
import { runFromEnvironment } from '@orrery/server';

runFromEnvironment(false, { kind: 'only', names: ['event-persister'] });
