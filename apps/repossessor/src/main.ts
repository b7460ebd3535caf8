// repossessor: gives back the concurrency slots of expired leases.
import './instrument';
import 'reflect-metadata';
import { runFromEnvironment } from '@orrery/server';

runFromEnvironment(false, { kind: 'only', names: ['repossessor'] });
