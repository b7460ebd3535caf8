// triggers: evaluates automations (reactive and proactive triggers); the actions app runs what fires.
import './instrument';
import 'reflect-metadata';
import { runFromEnvironment } from '@orrery/server';

runFromEnvironment(false, { kind: 'only', names: ['triggers'] });
