import { jobRunnerContract } from './job-runner.contract';
import { InProcessJobRunner } from './in-process-job-runner';

jobRunnerContract('in-process', { create: () => new InProcessJobRunner() });
