// actions: runs the actions of automations that fired. Consumer group `actions` on the `actions`
// stream (§4.2, §5.6): replicas share the work. Each TriggeredAction is recorded in the
// `automation_action` ledger before its side effect and finished in the transaction that emits its
// `prefect.automation.action.*` events, so a redelivered action that already finished is skipped.
import { Injectable, Logger } from '@nestjs/common';
import { ACTIONS_TOPIC, parseTriggeredAction, type TriggeredAction } from '@orrery/automations';
import { type BusMessage, OnStreamMessage } from '@orrery/bus';
import { OutboxPublisher } from '@orrery/outbox';
import { AutomationActionRepository } from '@orrery/persistence';
import { recordAutomationAction } from '@orrery/telemetry';
import { ActionFailed } from './action-failed';
import { actionEvents } from './action-events';
import { type ActionResult, ActionRunner } from './action-runner';

/** How long an executed action's id is remembered in process (upstream's TTL cache: 1 h, 10 000). */
const SEEN_TTL_MS = 3600_000;
const SEEN_MAX = 10_000;

/** The actions group: upstream's consumer group defaults to the topic name. */
export const ACTIONS_GROUP = 'actions';

/** Parallel consume loops per process: actions wait on databases and remote HTTP, rarely on CPU. */
export const ACTIONS_CONCURRENCY = 4;

/**
 * The idempotency key of an action: the TriggeredAction id, which the triggers service derives from
 * (automation, firing, action index) — the same action of the same firing always has the same key.
 */
export function idempotencyKey(action: TriggeredAction): string {
  return action.id;
}

export function validateTriggeredAction(data: unknown): TriggeredAction {
  return parseTriggeredAction(data as Record<string, unknown> | string);
}

export type ActOutcome = 'executed' | 'failed' | 'skipped';

@Injectable()
export class ActionsConsumer {
  private readonly logger = new Logger('actions');
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly runner: ActionRunner,
    private readonly ledger: AutomationActionRepository,
    private readonly outbox: OutboxPublisher,
  ) {}

  @OnStreamMessage(ACTIONS_TOPIC, {
    group: ACTIONS_GROUP,
    validate: validateTriggeredAction,
    concurrency: ACTIONS_CONCURRENCY,
  })
  async handle(message: BusMessage<TriggeredAction>): Promise<void> {
    await this.act(message.data);
  }

  /**
   * One action, as §5.6: skip ids seen in the last hour (and ids the ledger holds as final);
   * ActionFailed → `.triggered` + `.failed`, acknowledged; success → `.triggered` + `.executed`;
   * any other error propagates so the bus retries it (and dead-letters it after the last try).
   */
  async act(action: TriggeredAction): Promise<ActOutcome> {
    const key = idempotencyKey(action);
    if (this.recentlySeen(key)) return 'skipped';
    const claim = await this.ledger.start({
      id: key,
      automationId: action.automation.id,
      firingId: action.firing?.id ?? null,
      actionIndex: action.action_index,
      actionType: action.action.type,
    });
    if (claim.state !== 'STARTED') {
      this.remember(key);
      recordAutomationAction(action.action.type, 'skipped');
      return 'skipped';
    }
    if (claim.attempts > 1) {
      this.logger.warn(
        `action ${key} (${action.action.type}) runs again (attempt ${claim.attempts}): an earlier attempt did not finish`,
      );
    }
    const result: ActionResult = { related: [], details: {} };
    let failure: string | null = null;
    try {
      await this.runner.run(action, key, result);
    } catch (error) {
      if (!(error instanceof ActionFailed)) throw error;
      failure = error.reason;
      this.logger.warn(
        `action ${key} (${action.action.type}) of automation ${action.automation.id} failed: ${failure}`,
      );
    }
    await this.outbox.transaction(async (manager, emit) => {
      await this.ledger.finish(manager, key, failure === null ? 'EXECUTED' : 'FAILED');
      for (const event of actionEvents(action, result, failure)) emit(event);
    });
    this.remember(key);
    recordAutomationAction(action.action.type, failure === null ? 'executed' : 'failed');
    return failure === null ? 'executed' : 'failed';
  }

  private recentlySeen(key: string): boolean {
    const until = this.seen.get(key);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.seen.delete(key);
    return false;
  }

  private remember(key: string): void {
    if (this.seen.size >= SEEN_MAX) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    this.seen.set(key, Date.now() + SEEN_TTL_MS);
  }
}
