// late-runs: marks scheduled runs that missed their start time as Late.
import './instrument';
import 'reflect-metadata';
import { runFromEnvironment } from '@orrery/server';

runFromEnvironment(false, { kind: 'only', names: ['late-runs'] });
