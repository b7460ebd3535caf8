import { Injectable, Logger } from '@nestjs/common';
import type { TriggeredAction } from '@orrery/automations';
import { BlockDocumentService } from '@orrery/blocks';
import { DeploymentFlowRuns, DeploymentsService } from '@orrery/deployments';
import { Instant, isStateType, RequestValidationError, type StateCreate, UseCaseError } from '@orrery/domain';
import { OrchestrationObjectNotFoundError, type OrchestrationParameters } from '@orrery/orchestration';
import { OutboxPublisher } from '@orrery/outbox';
import {
  AutomationRepository,
  FlowRunRepository,
  WorkPoolRepository,
  WorkQueueRepository,
} from '@orrery/persistence';
import { FlowRunResumer, FlowRunStateService } from '@orrery/runs';
import { WorkPoolsService, WorkQueuesService } from '@orrery/work-pools';
import { ActionFailed, reasonFromStatus } from './action-failed';
import { automationUpdatedEvent } from './action-events';
import { send } from './http-sender';
import { notificationRequests, shouldRedactHeader, webhookRequest } from './notifications';
import { hydrateActionParameters, parameterPlaceholders } from './parameters';
import { idOfFirstResourceOfKind, inferFlowRunId } from './resources';
import { TemplateContextBuilder } from './template-context';
import { TemplateRenderError, TemplateRenderer } from './templates';

type Resource = Record<string, string>;

/** What an action leaves for its `.executed` / `.failed` event, filled in as it goes. */
export interface ActionResult {
  readonly related: Resource[];
  readonly details: Record<string, unknown>;
}

const PARAMS: OrchestrationParameters = { apiVersion: null, clientVersion: null };

/** `schedule_after` (seconds, or an ISO-8601 duration as pydantic serialises a timedelta) in seconds. */
export function durationSeconds(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, value);
  if (typeof value !== 'string') return 0;
  const n = Number(value);
  if (value.trim() !== '' && Number.isFinite(n)) return Math.max(0, n);
  const m =
    /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
      value,
    );
  if (m === null) return 0;
  const [d, h, min, s] = m.slice(1).map((x) => Number(x ?? 0));
  return d! * 86400 + h! * 3600 + min! * 60 + s!;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * Every action of §5.7, run in process over the same use-cases the API runs. A use-case's Prefect
 * status ≥ 300 becomes ActionFailed with upstream's reason (the detail for 409/422).
 */
@Injectable()
export class ActionRunner {
  private readonly logger = new Logger('actions');

  constructor(
    private readonly deploymentRuns: DeploymentFlowRuns,
    private readonly deployments: DeploymentsService,
    private readonly states: FlowRunStateService,
    private readonly resumer: FlowRunResumer,
    private readonly flowRuns: FlowRunRepository,
    private readonly pools: WorkPoolRepository,
    private readonly poolWrites: WorkPoolsService,
    private readonly queues: WorkQueueRepository,
    private readonly queueWrites: WorkQueuesService,
    private readonly automations: AutomationRepository,
    private readonly outbox: OutboxPublisher,
    private readonly blocks: BlockDocumentService,
    private readonly contexts: TemplateContextBuilder,
    private readonly renderer: TemplateRenderer,
  ) {}

  /** Runs the action; throws ActionFailed for an expected failure, anything else for a retry. */
  async run(action: TriggeredAction, idempotencyKey: string, result: ActionResult): Promise<void> {
    const a = action.action;
    switch (a.type) {
      case 'do-nothing':
        this.logger.log(`automation ${action.automation.id}: doing nothing`);
        return;
      case 'run-deployment':
        return this.runDeployment(action, result);
      case 'pause-deployment':
      case 'resume-deployment': {
        const id = this.targetId(action, 'deployment_id', 'prefect.deployment', 'deployment');
        result.related.push({
          'prefect.resource.id': `prefect.deployment.${id}`,
          'prefect.resource.role': 'target',
        });
        const pause = a.type === 'pause-deployment';
        const found = await this.useCase(a.type, result, () => this.deployments.setPaused(id, pause));
        if (!found) this.failStatus(a.type, result, 404, 'Deployment not found');
        result.details.status_code = 200;
        return;
      }
      case 'cancel-flow-run':
        return this.changeState(action, result, {
          type: 'CANCELLING',
          message: `Cancelled by Automation ${action.automation.id}`,
        });
      case 'change-flow-run-state': {
        if (!isStateType(a.state)) {
          throw new ActionFailed(`Invalid state type: ${JSON.stringify(a.state)}`);
        }
        const state: StateCreate = {
          type: a.state,
          name: str(a.name),
          message: str(a.message) ?? `State changed by Automation ${action.automation.id}`,
        };
        return this.changeState(action, result, state, a.force === true);
      }
      case 'suspend-flow-run':
        return this.changeState(action, result, {
          type: 'PAUSED',
          name: 'Suspended',
          message: `Suspended by Automation ${action.automation.id}`,
          stateDetails: { pauseTimeout: Instant.now().plusSeconds(3600), pauseReschedule: true },
        });
      case 'resume-flow-run': {
        const id = this.flowRunId(action, result);
        const outcome = await this.useCase(a.type, result, () => this.resumer.resume(id, null, PARAMS));
        if (outcome === null) this.failStatus(a.type, result, 404, 'Flow run not found');
        result.details.status_code = outcome.created ? 201 : 200;
        if (outcome.details.type !== 'accept_details') {
          throw new ActionFailed(`Failed to resume flow run: ${outcome.details.reason ?? ''}`);
        }
        return;
      }
      case 'delete-flow-run': {
        const id = this.flowRunId(action, result);
        const deleted = await this.useCase(a.type, result, () => this.flowRuns.delete(id));
        if (!deleted) this.failStatus(a.type, result, 404, 'Flow run not found');
        result.details.status_code = 204;
        return;
      }
      case 'pause-work-queue':
      case 'resume-work-queue': {
        const id = this.targetId(action, 'work_queue_id', 'prefect.work-queue', 'work queue');
        result.related.push({
          'prefect.resource.id': `prefect.work-queue.${id}`,
          'prefect.resource.role': 'target',
        });
        const queue = await this.queues.getById(id);
        if (queue === null) this.failStatus(a.type, result, 404, 'Work queue not found');
        const pause = a.type === 'pause-work-queue';
        const ok = await this.useCase(a.type, result, () =>
          this.queueWrites.update(queue, { isPaused: pause }),
        );
        if (!ok) this.failStatus(a.type, result, 404, 'Work queue not found');
        result.details.status_code = 204;
        return;
      }
      case 'pause-work-pool':
      case 'resume-work-pool': {
        const id = this.targetId(action, 'work_pool_id', 'prefect.work-pool', 'work pool');
        const pool = await this.pools.getById(id);
        if (pool === null) throw new ActionFailed(`Work pool ${id} not found`);
        result.related.push({
          'prefect.resource.id': `prefect.work-pool.${pool.id}`,
          'prefect.resource.name': pool.name,
          'prefect.resource.role': 'target',
        });
        const pause = a.type === 'pause-work-pool';
        const ok = await this.useCase(a.type, result, () =>
          this.poolWrites.update(pool.name, { isPaused: pause }),
        );
        if (!ok) this.failStatus(a.type, result, 404, 'Work pool not found');
        result.details.status_code = 204;
        return;
      }
      case 'pause-automation':
      case 'resume-automation': {
        const id = this.targetId(action, 'automation_id', 'prefect.automation', 'automation');
        result.related.push({
          'prefect.resource.id': `prefect.automation.${id}`,
          'prefect.resource.role': 'target',
        });
        const enabled = a.type === 'resume-automation';
        const record = await this.outbox.transaction(async (manager, emit) => {
          const updated = await this.automations.setEnabled(manager, id, enabled);
          if (updated !== null) emit(automationUpdatedEvent(updated));
          return updated;
        });
        if (record === null) this.failStatus(a.type, result, 404, 'Automation not found');
        result.details.status_code = 204;
        return;
      }
      case 'send-notification':
        return this.sendNotification(action, idempotencyKey, result);
      case 'call-webhook':
        return this.callWebhook(action, idempotencyKey, result);
      default:
        throw new ActionFailed(`Unknown action type ${JSON.stringify(a.type)}`);
    }
  }

  /** `selected`: the action's own id field; `inferred`: the first resource of that kind in the event. */
  private targetId(action: TriggeredAction, field: string, kind: string, what: string): string {
    const a = action.action;
    if ((a.source ?? 'selected') === 'selected') {
      const id = str(a[field]);
      if (id === null) throw new ActionFailed(`${field} is required`);
      return id;
    }
    const event = action.triggering_event;
    if (event === null) throw new ActionFailed(`No event to infer the ${what}`);
    const id = idOfFirstResourceOfKind(event, kind);
    if (id === null) throw new ActionFailed(`No ${what} could be inferred`);
    return id;
  }

  private flowRunId(action: TriggeredAction, result: ActionResult): string {
    const id = inferFlowRunId(action.triggering_labels, action.triggering_event);
    if (id === null) throw new ActionFailed('No flow run could be inferred');
    result.related.push({
      'prefect.resource.id': `prefect.flow-run.${id}`,
      'prefect.resource.role': 'target',
    });
    return id;
  }

  private async changeState(
    action: TriggeredAction,
    result: ActionResult,
    state: StateCreate,
    force = false,
  ): Promise<void> {
    const id = this.flowRunId(action, result);
    const outcome = await this.useCase(action.action.type, result, () =>
      this.states.setState(id, state, { force, params: PARAMS }),
    );
    result.details.status_code = outcome.newState !== null ? 201 : 200;
    if (outcome.details.type !== 'accept_details') {
      throw new ActionFailed(`Failed to set state: ${outcome.details.reason ?? ''}`);
    }
  }

  private async runDeployment(action: TriggeredAction, result: ActionResult): Promise<void> {
    const a = action.action;
    const id = this.targetId(action, 'deployment_id', 'prefect.deployment', 'deployment');
    result.related.push({
      'prefect.resource.id': `prefect.deployment.${id}`,
      'prefect.resource.role': 'target',
    });
    const given = (a.parameters ?? null) as Record<string, unknown> | null;
    const { templates, variables } = parameterPlaceholders(given);
    const context = await this.renderContext(templates, action, result);
    const workspace = await this.contexts.workspaceVariables('', variables);
    const parameters = this.rendering(result, () =>
      hydrateActionParameters(given, {
        renderJinja: (template) => this.renderer.render(template, context),
        variable: (name) => workspace[name],
      }),
    );
    const scheduledTime = Instant.now().plusSeconds(durationSeconds(a.schedule_after));
    const deployment = await this.useCase(a.type, result, () => this.deploymentRuns.deployment(id));
    const { run } = await this.useCase(a.type, result, () =>
      this.deploymentRuns.create(
        deployment,
        {
          parameters,
          idempotency_key: `automation ${action.automation.id}, action ${action.action_index}, invocation ${action.id}`,
          job_variables: (a.job_variables ?? null) as Record<string, unknown> | null,
        },
        { type: 'SCHEDULED', name: 'Scheduled', stateDetails: { scheduledTime } },
        { id: action.automation.id, type: 'AUTOMATION', display_value: action.automation.name },
        PARAMS,
      ),
    );
    result.details.status_code = 201;
    result.related.push({
      'prefect.resource.id': `prefect.flow-run.${run.id}`,
      'prefect.resource.role': 'flow-run',
      'prefect.resource.name': run.name,
    });
  }

  private async renderContext(
    templates: readonly string[],
    action: TriggeredAction,
    result: ActionResult,
  ): Promise<Record<string, unknown>> {
    for (const template of templates) this.rendering(result, () => this.renderer.validate(template));
    return this.contexts.build(templates, action);
  }

  /** A template error fails the action with `template_error` / `template_source` (§5.8). */
  private rendering<T>(result: ActionResult, render: () => T): T {
    try {
      return render();
    } catch (error) {
      if (!(error instanceof TemplateRenderError)) throw error;
      result.details.template_error = error.error;
      result.details.template_source = error.template;
      throw new ActionFailed(`Template rendering failed: ${error.error}`);
    }
  }

  private async block(
    action: TriggeredAction,
    result: ActionResult,
    what: 'notification' | 'webhook',
  ): Promise<{ slug: string; data: Record<string, unknown> }> {
    const id = str(action.action.block_document_id);
    if (id === null) throw new ActionFailed('block_document_id is required');
    const view = await this.blocks.read(id, true);
    if (view === null) this.failStatus(action.action.type, result, 404, 'Block document not found');
    const slug = view.document.block_type.slug;
    const capable =
      what === 'webhook' ? slug === 'webhook' : view.document.block_schema.capabilities.includes('notify');
    if (!capable) throw new ActionFailed(`The referenced block was not a ${what} block`);
    result.related.push(
      {
        'prefect.resource.id': `prefect.block-document.${id}`,
        'prefect.resource.role': 'block',
        'prefect.resource.name': view.document.name,
      },
      { 'prefect.resource.id': `prefect.block-type.${slug}`, 'prefect.resource.role': 'block-type' },
    );
    return { slug, data: view.data as Record<string, unknown> };
  }

  private async sendNotification(action: TriggeredAction, key: string, result: ActionResult): Promise<void> {
    const { slug, data } = await this.block(action, result, 'notification');
    const subject =
      typeof action.action.subject === 'string' ? action.action.subject : 'Prefect automated notification';
    const body = typeof action.action.body === 'string' ? action.action.body : '';
    const context = await this.renderContext([subject, body], action, result);
    const renderedSubject = this.rendering(result, () => this.renderer.render(subject, context));
    const renderedBody = this.rendering(result, () => this.renderer.render(body, context));
    const log: string[] = [];
    for (const request of notificationRequests(slug, data, renderedSubject, renderedBody)) {
      const response = await send(request, key, 'Notification');
      if (response.status >= 300)
        log.push(`${request.method} → ${response.status}: ${response.text.slice(0, 500)}`);
    }
    if (log.length > 0) {
      result.details.notification_log = log.join('\n');
      throw new ActionFailed('Notification failed');
    }
  }

  private async callWebhook(action: TriggeredAction, key: string, result: ActionResult): Promise<void> {
    const { data } = await this.block(action, result, 'webhook');
    const raw = action.action.payload;
    // Legacy dict payloads are serialised to JSON (upstream `ensure_payload_is_a_string`).
    const payload = typeof raw === 'string' ? raw : raw == null ? '' : JSON.stringify(raw, null, 2);
    const context = await this.renderContext([payload], action, result);
    const rendered = this.rendering(result, () => this.renderer.render(payload, context));
    const response = await send(webhookRequest(data, rendered), key, 'Webhook call');
    result.details.status_code = response.status;
    result.details.response_body = response.text.slice(0, 1000);
    result.details.response_headers = Object.fromEntries(
      Object.entries(response.headers).filter(([name]) => !shouldRedactHeader(name)),
    );
  }

  /** Runs a use-case; its expected failures become ActionFailed with upstream's reason. */
  private async useCase<T>(type: string, result: ActionResult, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof UseCaseError) this.failStatus(type, result, error.status, error.detail);
      if (error instanceof OrchestrationObjectNotFoundError)
        this.failStatus(type, result, 404, error.message);
      if (error instanceof RequestValidationError) {
        this.failStatus(type, result, 422, error.issues.map((i) => i.msg).join('; '));
      }
      throw error;
    }
  }

  private failStatus(type: string, result: ActionResult, status: number, detail: string): never {
    result.details.status_code = status;
    if (status === 409) result.details.validation_error = detail;
    throw new ActionFailed(reasonFromStatus(type, status, detail));
  }
}
