// api-gateway: one stateless API replica (REST + websockets under /api), run N of them behind a load balancer.
import './instrument';
import 'reflect-metadata';
import { runFromEnvironment } from '@orrery/server';

runFromEnvironment(true, { kind: 'none' });
