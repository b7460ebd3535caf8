import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { SETTINGS, type Settings } from '@orrery/config';
import { JobQueue } from '@orrery/jobs';
import { SCHEDULE_DEPLOYMENTS_JOB, type ScheduleDeploymentsPayload } from '@orrery/runs';
import {
  DEFAULT_MAX_SCHEDULED_RUNS,
  type DeploymentCriteria,
  type DeploymentSort,
  type ListRequest,
  UseCaseError,
} from '@orrery/domain';
import { type Emit, OutboxPublisher } from '@orrery/outbox';
import {
  type DeploymentColumns,
  type DeploymentRecord,
  DeploymentRepository,
  type DeploymentScheduleRecord,
  type NewDeploymentSchedule,
  type Session,
  WorkPoolRepository,
  WorkQueueRepository,
} from '@orrery/persistence';
import { resolutionEvents } from '@orrery/events';
import { jobVariablesProblem } from './deployment-job-variables';
import { checkParameters, hydrateParameters } from './deployment-parameters';
import { parseScheduleInputs, type ScheduleInput } from './deployment-schedule.parser';
import { deploymentChanges, deploymentEvent } from './deployment-events';
import {
  deploymentResponse,
  type DeploymentScheduleWire,
  type DeploymentWire,
  scheduleResponse,
} from './deployment.serializer';
import type { AutomationActor, DeploymentCreateInput, DeploymentUpdateInput } from './deployment.inputs';

export const DEPLOYMENT_NOT_FOUND = 'Deployment not found';
const BOTH_LIMITS = 'A deployment cannot have both a concurrency limit and a global concurrency limit.';

/**
 * Deployment writes (spec-api §7.3): each one, its schedules, its `deployment:<id>` limit, the
 * housekeeping of its auto-scheduled runs and its `prefect.deployment.*` event commit together.
 */
@Injectable()
export class DeploymentsService {
  private readonly logger = new Logger('deployments');

  constructor(
    private readonly deployments: DeploymentRepository,
    private readonly queues: WorkQueueRepository,
    private readonly pools: WorkPoolRepository,
    private readonly outbox: OutboxPublisher,
    private readonly jobs: JobQueue,
    @Optional() @Inject(SETTINGS) private readonly settings?: Settings,
  ) {}

  /**
   * Asks the scheduler service for this deployment's runs now, rather than at its next
   * recent-deployments tick. Best effort: that tick still covers a failure here.
   */
  private async scheduleSoon(deploymentId: string): Promise<void> {
    const payload: ScheduleDeploymentsPayload = { deploymentIds: [deploymentId] };
    try {
      await this.jobs.enqueue(SCHEDULE_DEPLOYMENTS_JOB, payload);
    } catch (error) {
      this.logger.warn(`could not ask the scheduler for deployment ${deploymentId}'s runs: ${String(error)}`);
    }
  }

  private get maxScheduledRuns(): number {
    return this.settings?.server.deploymentScheduleMaxScheduledRuns ?? DEFAULT_MAX_SCHEDULED_RUNS;
  }

  /** `POST /deployments/`: upsert on `(flow_id, name)`; `created` tells 201 from 200. */
  async create(
    body: DeploymentCreateInput,
    actor: AutomationActor | null = null,
  ): Promise<{ response: DeploymentWire; created: boolean }> {
    if (body.concurrency_limit != null && body.global_concurrency_limit_id != null) {
      throw UseCaseError.unprocessable(BOTH_LIMITS);
    }
    const schedules = this.newSchedules(body.schedules ?? [], ['body', 'schedules']);
    const result = await this.outbox.transaction(async (manager, emit) => {
      // A missing flow fails the insert's foreign key: 409, as upstream.
      const flowLabels = await this.deployments.flowLabels(manager, body.flow_id);
      const before = await this.deployments.getByFlowAndName(manager, body.flow_id, body.name);
      const columns = this.commonColumns(body);
      if (body.parameters !== undefined) columns.parameters = body.parameters;
      if (body.enforce_parameter_schema !== undefined)
        columns.enforce_parameter_schema = body.enforce_parameter_schema;
      if (body.job_variables !== undefined) columns.infra_overrides = body.job_variables;
      const labels = { ...(flowLabels ?? {}), 'prefect.flow.id': body.flow_id, ...(body.labels ?? {}) };
      if (body.labels !== undefined) columns.labels = labels;
      await this.placeInQueue(manager, emit, body, columns, before);
      await this.checkGlobalLimit(manager, body.global_concurrency_limit_id);
      await this.checkBlockDocuments(manager, body);
      if (actor !== null) columns.updated_by = { ...actor };
      const { id, created } = await this.deployments.upsert(
        manager,
        { flowId: body.flow_id, name: body.name },
        columns,
        // A schema the body leaves out is {} on insert: upstream's ORM default=dict (orm_models.py:877-879).
        { labels, parameter_openapi_schema: {}, ...(actor === null ? {} : { created_by: { ...actor } }) },
      );
      await this.applyConcurrencyLimit(manager, id, body.concurrency_limit);
      await this.deployments.deleteFutureAutoScheduledRuns(manager, id);
      await this.deployments.deleteSchedules(manager, id);
      await this.deployments.insertSchedules(manager, id, schedules);
      const after = await this.read(manager, id);
      emit(
        created || before === null
          ? deploymentEvent('created', after)
          : deploymentEvent('updated', after, deploymentChanges(before, after)),
      );
      return { response: await this.respond(after, manager), created, id };
    });
    await this.scheduleSoon(result.id);
    return { response: result.response, created: result.created };
  }

  /** `PATCH /deployments/{id}`: writes the keys present; false when there is no such deployment. */
  async update(
    id: string,
    body: DeploymentUpdateInput,
    actor: AutomationActor | null = null,
  ): Promise<boolean> {
    if (body.concurrency_limit != null && body.global_concurrency_limit_id != null) {
      throw UseCaseError.unprocessable(BOTH_LIMITS);
    }
    const schedules =
      body.schedules === undefined
        ? undefined
        : parseScheduleInputs(body.schedules, ['body', 'schedules'], {
            requireSchedule: false,
            maxScheduledRuns: this.maxScheduledRuns,
          });
    const outcome = await this.outbox.transaction(async (manager, emit) => {
      const before = await this.deployments.lock(manager, id);
      if (before === null) return false;
      const columns = this.commonColumns(body);
      if (body.parameters != null) columns.parameters = hydrateParameters(body.parameters);
      if (body.enforce_parameter_schema != null)
        columns.enforce_parameter_schema = body.enforce_parameter_schema;
      if (body.job_variables != null) columns.infra_overrides = body.job_variables;
      if (body.enforce_parameter_schema ?? before.enforceParameterSchema) {
        checkParameters(
          columns.parameters ?? before.parameters,
          body.parameter_openapi_schema !== undefined
            ? body.parameter_openapi_schema
            : before.parameterOpenapiSchema,
          { prefix: 'Error updating deployment', ignoreRequired: true },
        );
      }
      await this.placeInQueue(manager, emit, body, columns, before);
      await this.checkGlobalLimit(manager, body.global_concurrency_limit_id);
      if (actor !== null) columns.updated_by = { ...actor };
      await this.deployments.update(manager, id, columns);
      await this.applyConcurrencyLimit(manager, id, body.concurrency_limit);
      if (schedules !== undefined) await this.patchSchedules(manager, id, schedules);
      await this.deployments.deleteFutureAutoScheduledRuns(manager, id);
      const after = await this.read(manager, id);
      emit(deploymentEvent('updated', after, deploymentChanges(before, after)));
      return true;
    });
    if (outcome) await this.scheduleSoon(id);
    return outcome;
  }

  /** `pause_deployment` / `resume_deployment`; false when there is no such deployment. */
  async setPaused(id: string, paused: boolean): Promise<boolean> {
    const outcome = await this.outbox.transaction(async (manager, emit) => {
      const before = await this.deployments.lock(manager, id);
      if (before === null) return false;
      await this.deployments.update(manager, id, { paused });
      if (paused) await this.deployments.deleteFutureAutoScheduledRuns(manager, id);
      const after = await this.read(manager, id);
      emit(deploymentEvent('updated', after, deploymentChanges(before, after)));
      return true;
    });
    if (outcome && !paused) await this.scheduleSoon(id);
    return outcome;
  }

  /** Returns false when there is no such deployment. */
  async delete(id: string): Promise<boolean> {
    return this.outbox.transaction(async (manager, emit) => {
      const deleted = await this.deployments.delete(manager, id);
      if (deleted !== null) emit(deploymentEvent('deleted', deleted));
      return deleted !== null;
    });
  }

  /** `POST /deployments/bulk_delete`: each deletion with its event, in one transaction. */
  async deleteMatching(criteria: DeploymentCriteria, limit: number): Promise<string[]> {
    const ids = await this.deployments.matchingIds(criteria, limit);
    return this.outbox.transaction(async (manager, emit) => {
      const deleted: string[] = [];
      for (const id of ids) {
        const record = await this.deployments.delete(manager, id);
        if (record === null) continue;
        emit(deploymentEvent('deleted', record));
        deleted.push(id);
      }
      return deleted;
    });
  }

  async get(id: string): Promise<DeploymentWire | null> {
    const deployment = await this.deployments.get(id);
    return deployment === null ? null : this.respond(deployment);
  }

  async getByName(flowName: string, name: string): Promise<DeploymentWire | null> {
    const deployment = await this.deployments.getByName(flowName, name);
    return deployment === null ? null : this.respond(deployment);
  }

  /** A page of deployments: schedules and limits loaded for the whole page in one query each. */
  async list(request: ListRequest<DeploymentCriteria, DeploymentSort>): Promise<DeploymentWire[]> {
    return this.respondAll(await this.deployments.list(request));
  }

  count(criteria: DeploymentCriteria): Promise<number> {
    return this.deployments.count(criteria);
  }

  async schedules(deploymentId: string): Promise<DeploymentScheduleWire[] | null> {
    if ((await this.deployments.get(deploymentId)) === null) return null;
    const byDeployment = await this.deployments.schedulesOf([deploymentId]);
    return (byDeployment.get(deploymentId) ?? []).map(scheduleResponse);
  }

  /** `POST /deployments/{id}/schedules`: null when there is no such deployment. */
  async addSchedules(deploymentId: string, items: unknown[]): Promise<DeploymentScheduleWire[] | null> {
    const schedules = this.newSchedules(items, ['body']);
    const added = await this.outbox.transaction(async (manager, emit) => {
      const before = await this.deployments.lock(manager, deploymentId);
      if (before === null) return null;
      const created = await this.deployments.insertSchedules(manager, deploymentId, schedules);
      await this.deployments.update(manager, deploymentId, {});
      emit(deploymentEvent('updated', await this.read(manager, deploymentId), {}));
      return created.map(scheduleResponse);
    });
    if (added !== null) await this.scheduleSoon(deploymentId);
    return added;
  }

  /** `PATCH …/schedules/{schedule_id}`: 'deployment' / 'schedule' name what is missing. */
  async updateSchedule(
    deploymentId: string,
    scheduleId: string,
    item: unknown,
  ): Promise<true | 'deployment' | 'schedule'> {
    const [input] = parseScheduleInputs([item], ['body'], {
      requireSchedule: false,
      maxScheduledRuns: this.maxScheduledRuns,
    }).map((i) => i);
    const outcome = await this.outbox.transaction(async (manager, emit) => {
      if ((await this.deployments.lock(manager, deploymentId)) === null) return 'deployment';
      const existing = await this.deployments.getSchedule(manager, deploymentId, scheduleId);
      if (existing === null) return 'schedule';
      await this.deployments.updateSchedule(manager, deploymentId, merged(existing, input ?? {}));
      // A changed schedule makes the runs it generated obsolete.
      await this.deployments.deleteFutureAutoScheduledRuns(manager, deploymentId);
      emit(deploymentEvent('updated', await this.read(manager, deploymentId), {}));
      return true as const;
    });
    if (outcome === true) await this.scheduleSoon(deploymentId);
    return outcome;
  }

  async deleteSchedule(deploymentId: string, scheduleId: string): Promise<true | 'deployment' | 'schedule'> {
    return this.outbox.transaction(async (manager, emit) => {
      if ((await this.deployments.lock(manager, deploymentId)) === null) return 'deployment';
      if (!(await this.deployments.deleteSchedule(manager, deploymentId, scheduleId))) return 'schedule';
      await this.deployments.deleteFutureAutoScheduledRuns(manager, deploymentId);
      emit(deploymentEvent('updated', await this.read(manager, deploymentId), {}));
      return true;
    });
  }

  /** Creates the queue in the pool if it is missing (a run from a deployment may name a new queue). */
  async ensureQueue(workPoolName: string, workQueueName: string): Promise<void> {
    await this.outbox.transaction(async (manager, emit) => {
      const resolved = await this.queues.resolve(manager, { workPoolName, workQueueName });
      if (resolved === null) return;
      if ('missingPool' in resolved) {
        throw UseCaseError.notFound(`Work pool "${resolved.missingPool}" not found.`);
      }
      const pool = await this.pools.getById(resolved.workPoolId, manager);
      for (const event of resolutionEvents(resolved, pool?.type ?? '')) emit(event);
    });
  }

  /** The base job template of a pool, by id (null when the pool is gone). */
  async baseJobTemplate(workPoolId: string): Promise<Record<string, unknown> | null> {
    return (await this.pools.getById(workPoolId))?.baseJobTemplate ?? null;
  }

  /** Runner polls mark the deployments READY; `prefect.deployment.ready` for those that were not. */
  async markReady(deploymentIds: readonly string[]): Promise<void> {
    await this.outbox.transaction(async (manager, emit) => {
      for (const deployment of await this.deployments.markReady(manager, deploymentIds)) {
        emit(deploymentEvent('ready', deployment));
      }
    });
  }

  async respond(deployment: DeploymentRecord, manager?: Session): Promise<DeploymentWire> {
    const [response] = await this.respondAll([deployment], manager);
    if (response === undefined) throw new Error('a deployment response went missing');
    return response;
  }

  private async respondAll(
    deployments: readonly DeploymentRecord[],
    manager?: Session,
  ): Promise<DeploymentWire[]> {
    const ids = deployments.map((d) => d.id);
    const limitIds = deployments.flatMap((d) =>
      d.concurrencyLimitId === null ? [] : [d.concurrencyLimitId],
    );
    const [schedules, limits] = await Promise.all([
      this.deployments.schedulesOf(ids, manager),
      this.deployments.concurrencyLimits(limitIds, manager),
    ]);
    return deployments.map((d) =>
      deploymentResponse(
        d,
        schedules.get(d.id) ?? [],
        d.concurrencyLimitId === null ? null : (limits.get(d.concurrencyLimitId) ?? null),
      ),
    );
  }

  private async read(manager: Session, id: string): Promise<DeploymentRecord> {
    const deployment = await this.deployments.get(id, manager);
    if (deployment === null) throw new Error(`deployment ${id} vanished while being written`);
    return deployment;
  }

  /** Columns DeploymentCreate and DeploymentUpdate write the same way when present. */
  private commonColumns(body: DeploymentCreateInput | DeploymentUpdateInput): DeploymentColumns {
    const columns: DeploymentColumns = {};
    if (body.version !== undefined) columns.version = body.version;
    if (body.description !== undefined) columns.description = body.description;
    if (body.paused !== undefined) columns.paused = body.paused;
    if (body.parameter_openapi_schema !== undefined)
      columns.parameter_openapi_schema = body.parameter_openapi_schema;
    if (body.tags !== undefined) columns.tags = body.tags;
    if (body.pull_steps !== undefined) columns.pull_steps = body.pull_steps;
    if (body.storage_document_id !== undefined) columns.storage_document_id = body.storage_document_id;
    if (body.infrastructure_document_id !== undefined) {
      columns.infrastructure_document_id = body.infrastructure_document_id;
    }
    if (body.path !== undefined) columns.path = body.path;
    if (body.entrypoint !== undefined) columns.entrypoint = body.entrypoint;
    if (body.concurrency_options !== undefined) {
      columns.concurrency_options =
        body.concurrency_options === null
          ? null
          : {
              collision_strategy: body.concurrency_options.collision_strategy,
              grace_period_seconds: body.concurrency_options.grace_period_seconds ?? null,
            };
    }
    if (body.global_concurrency_limit_id !== undefined) {
      columns.concurrency_limit_id = body.global_concurrency_limit_id;
    }
    return columns;
  }

  /**
   * `work_pool_name` / `work_queue_name` → `work_queue_id` (WorkQueueRepository.resolve, which
   * auto-creates queues). On update an explicit `work_pool_name: null` unlinks the queue.
   */
  private async placeInQueue(
    manager: Session,
    emit: Emit,
    body: DeploymentCreateInput | DeploymentUpdateInput,
    columns: DeploymentColumns,
    before: DeploymentRecord | null,
  ): Promise<void> {
    const isUpdate = !('flow_id' in body);
    const pool = body.work_pool_name ?? null;
    const queue = body.work_queue_name ?? null;
    if (body.work_queue_name !== undefined) columns.work_queue_name = queue;
    if (pool === null && queue === null) {
      if (isUpdate && body.work_pool_name === null) columns.work_queue_id = null;
      return;
    }
    if (isUpdate && body.work_pool_name === null) {
      // An explicit null pool with a queue name keeps the name but no pool link.
      columns.work_queue_id = null;
      return;
    }
    const resolved = await this.queues.resolve(manager, { workPoolName: pool, workQueueName: queue });
    if (resolved === null) return;
    if ('missingPool' in resolved)
      throw UseCaseError.notFound(`Work pool "${resolved.missingPool}" not found.`);
    const workPool = await this.pools.getById(resolved.workPoolId, manager);
    if (workPool === null)
      throw new Error(`work pool ${resolved.workPoolName} vanished while being resolved`);
    for (const event of resolutionEvents(resolved, workPool.type)) emit(event);
    if (pool !== null) {
      // Variables a deployment leaves out may still come with each run: `required` is not checked.
      const jobVariables = columns.infra_overrides ?? before?.jobVariables ?? {};
      const problem = jobVariablesProblem(jobVariables, workPool.baseJobTemplate, { ignoreRequired: true });
      if (problem !== null) {
        throw new UseCaseError(isUpdate ? 409 : 422, `Error creating deployment: ${problem}`);
      }
    }
    columns.work_queue_id = resolved.workQueueId;
    columns.work_queue_name = resolved.workQueueName;
  }

  /** Prefect checks the referenced block documents up front to explain a stale deployment spec. */
  private async checkBlockDocuments(manager: Session, body: DeploymentCreateInput): Promise<void> {
    for (const [id, kind] of [
      [body.infrastructure_document_id, 'infrastructure block'],
      [body.storage_document_id, 'storage block'],
    ] as const) {
      if (id == null || (await this.deployments.blockDocumentExists(manager, id))) continue;
      throw UseCaseError.conflict(
        `Error creating deployment. Could not find ${kind} with id: ${id}. This usually occurs when ` +
          'applying a deployment specification that was built against a different Prefect database / workspace.',
      );
    }
  }

  private async checkGlobalLimit(manager: Session, id: string | null | undefined): Promise<void> {
    if (id == null) return;
    if (!(await this.deployments.concurrencyLimitExists(manager, id))) {
      throw UseCaseError.notFound(`Concurrency limit ${id} not found.`);
    }
  }

  /** A number (re)sizes `deployment:<id>` and links it; null deletes it (the link nulls with it). */
  private async applyConcurrencyLimit(
    manager: Session,
    id: string,
    limit: number | null | undefined,
  ): Promise<void> {
    if (limit === undefined) return;
    if (limit === null) {
      await this.deployments.deleteDeploymentLimit(manager, id);
      return;
    }
    const limitId = await this.deployments.setDeploymentLimit(manager, id, limit);
    await this.deployments.update(manager, id, { concurrency_limit_id: limitId });
  }

  private newSchedules(
    items: readonly unknown[],
    loc: ReadonlyArray<string | number>,
  ): NewDeploymentSchedule[] {
    return parseScheduleInputs(items, loc, {
      requireSchedule: true,
      maxScheduledRuns: this.maxScheduledRuns,
    }).map((input) => ({
      schedule: input.schedule!,
      active: input.active ?? true,
      maxScheduledRuns: input.maxScheduledRuns ?? null,
      parameters: input.parameters ?? {},
      slug: input.slug ?? null,
    }));
  }

  /**
   * PATCH schedules: when every existing and every given schedule has a slug, patch by slug
   * (`replaces` renames, unknown slugs are created, unmentioned ones KEPT — upstream's
   * `update_deployment` never deletes a slugged schedule, so `serve()`/`deploy` redeploying without
   * one leaves it); when the existing ones have slugs but some given do not, 422; otherwise replace
   * them all.
   */
  private async patchSchedules(manager: Session, id: string, inputs: ScheduleInput[]): Promise<void> {
    const existing = (await this.deployments.schedulesOf([id], manager)).get(id) ?? [];
    const allGivenSlugged = inputs.every((s) => s.slug != null);
    const allExistingSlugged = existing.every((s) => s.slug !== null);
    if (existing.length > 0 && allExistingSlugged && !allGivenSlugged) {
      throw UseCaseError.unprocessable(
        'Please provide a slug for each schedule in your request to ensure schedules are updated correctly.',
      );
    }
    if (!(existing.length > 0 && allExistingSlugged && allGivenSlugged)) {
      const replacements = inputs.map((input, i) => {
        if (input.schedule === undefined) {
          throw UseCaseError.unprocessable(`Schedule ${i} is missing its schedule.`);
        }
        return {
          schedule: input.schedule,
          active: input.active ?? true,
          maxScheduledRuns: input.maxScheduledRuns ?? null,
          parameters: input.parameters ?? {},
          slug: input.slug ?? null,
        };
      });
      await this.deployments.deleteSchedules(manager, id);
      await this.deployments.insertSchedules(manager, id, replacements);
      return;
    }
    const bySlug = new Map(existing.map((s) => [s.slug!, s]));
    const replaced = inputs.flatMap((s) => (s.replaces == null ? [] : [s.replaces]));
    if (new Set(replaced).size !== replaced.length) {
      throw UseCaseError.unprocessable('Multiple schedules cannot replace the same schedule.');
    }
    const finalSlugs = inputs.map((s) => s.slug!);
    if (new Set(finalSlugs).size !== finalSlugs.length) {
      throw UseCaseError.unprocessable('Schedule slugs must be unique within a deployment.');
    }
    const toCreate: NewDeploymentSchedule[] = [];
    const toUpdate: DeploymentScheduleRecord[] = [];
    for (const input of inputs) {
      const target = bySlug.get(input.replaces ?? input.slug!);
      if (target === undefined) {
        // Upstream: a `replaces` naming no schedule creates a new one (with a warning), as does an
        // unknown slug; either needs a schedule to create.
        if (input.schedule === undefined) {
          throw UseCaseError.unprocessable(
            'Unable to create new deployment schedules without a schedule configuration.',
          );
        }
        if (input.replaces != null) {
          this.logger.warn(
            `deployment ${id}: schedule "${input.slug!}" replaces "${input.replaces}", which does not exist; creating it`,
          );
        }
        toCreate.push({
          schedule: input.schedule,
          active: input.active ?? true,
          maxScheduledRuns: input.maxScheduledRuns ?? null,
          parameters: input.parameters ?? {},
          slug: input.slug!,
        });
        continue;
      }
      toUpdate.push(merged(target, input));
    }
    // Renames go through a temporary null slug so that swapping two slugs cannot collide midway.
    for (const schedule of toUpdate) {
      await this.deployments.updateSchedule(manager, id, { ...schedule, slug: null });
    }
    for (const schedule of toUpdate) await this.deployments.updateSchedule(manager, id, schedule);
    await this.deployments.insertSchedules(manager, id, toCreate);
  }
}

function merged(existing: DeploymentScheduleRecord, input: ScheduleInput): DeploymentScheduleRecord {
  return {
    ...existing,
    schedule: input.schedule ?? existing.schedule,
    active: input.active ?? existing.active,
    maxScheduledRuns:
      input.maxScheduledRuns !== undefined ? input.maxScheduledRuns : existing.maxScheduledRuns,
    parameters: input.parameters ?? existing.parameters,
    slug: input.slug !== undefined ? input.slug : existing.slug,
  };
}
