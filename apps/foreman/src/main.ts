// foreman: marks silent workers offline and pools, queues and deployments not ready.
import './instrument';
import 'reflect-metadata';
import { runFromEnvironment } from '@orrery/server';

runFromEnvironment(false, { kind: 'only', names: ['foreman'] });
