// task-run-recorder: turns client task-run events into task runs and their states.
import './instrument';
import 'reflect-metadata';
import { runFromEnvironment } from '@orrery/server';

runFromEnvironment(false, { kind: 'only', names: ['task-run-recorder'] });
