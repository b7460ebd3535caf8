// triggers: evaluates automations (reactive and proactive triggers) and runs their actions.
import './instrument';
import 'reflect-metadata';
import { runFromEnvironment } from '@orrery/server';

runFromEnvironment(false, { kind: 'only', names: ['triggers', 'actions'] });
