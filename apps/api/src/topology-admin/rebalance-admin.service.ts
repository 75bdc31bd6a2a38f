import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError, WorkflowFailedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { LoadedConfig } from '@miroir/config';
import { workflowIds, workflowUiUrl } from '@miroir/temporal';
import { MeiliError } from '../errors/meili-error';
import { LOADED_CONFIG, TEMPORAL_CLIENT } from '../infra/tokens';
import {
  cancelSignal,
  pauseSignal,
  REBALANCE_WORKFLOW,
  rebalanceProgressQuery,
  resumeSignal,
  type RebalanceInput,
  type RebalanceProgress,
  type RebalanceResult,
} from '../../../../workflows/rebalance.contract';

export interface WorkflowRef {
  workflowId: string;
  runId?: string;
  link: string;
}

const notRunning = () => new MeiliError('miroir_rebalance_not_running', 'No rebalance is running.', 404);

/** Starts and steers the singleton `rebalance` workflow (docs/design.md#workflows, docs/design.md#admin-api). */
@Injectable()
export class RebalanceAdminService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(LOADED_CONFIG) private readonly loaded: LoadedConfig,
  ) {}

  private ref(workflowId: string, runId?: string): WorkflowRef {
    const { server, temporal } = this.loaded.config;
    return { workflowId, runId, link: workflowUiUrl(server.temporal_ui_url, temporal.namespace, workflowId) };
  }

  async start(requestedBy: string): Promise<WorkflowRef> {
    const input: RebalanceInput = { requestedBy };
    try {
      const handle = await this.temporal.workflow.start(REBALANCE_WORKFLOW, {
        workflowId: workflowIds.rebalance(),
        taskQueue: this.loaded.config.temporal.task_queue,
        args: [input],
      });
      return this.ref(handle.workflowId, handle.firstExecutionRunId);
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        throw new MeiliError('miroir_rebalance_running', `A rebalance is already running: ${this.ref(workflowIds.rebalance()).link}`, 409);
      }
      throw err;
    }
  }

  /** The plan, computed by the same workflow code with `dryRun` under its own id (it is audited too). */
  async dryRun(requestedBy: string): Promise<WorkflowRef & { plan: RebalanceResult }> {
    const workflowId = `${workflowIds.rebalance()}-dry-run-${randomUUID()}`;
    const input: RebalanceInput = { requestedBy, dryRun: true };
    const handle = await this.temporal.workflow.start(REBALANCE_WORKFLOW, {
      workflowId,
      taskQueue: this.loaded.config.temporal.task_queue,
      args: [input],
      workflowExecutionTimeout: '2 minutes',
    });
    const plan = (await handle.result()) as RebalanceResult;
    return { ...this.ref(workflowId, handle.firstExecutionRunId), plan };
  }

  async signal(kind: 'pause' | 'resume' | 'cancel'): Promise<WorkflowRef> {
    const handle = this.temporal.workflow.getHandle(workflowIds.rebalance());
    const signal = { pause: pauseSignal, resume: resumeSignal, cancel: cancelSignal }[kind];
    try {
      const desc = await handle.describe();
      if (desc.status.name !== 'RUNNING') throw notRunning();
      await handle.signal(signal);
      return this.ref(handle.workflowId, desc.runId);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notRunning();
      throw err;
    }
  }

  async status(): Promise<
    WorkflowRef & { status: string; startTime?: string; closeTime?: string; progress?: RebalanceProgress; result?: RebalanceResult; failure?: RebalanceFailure }
  > {
    const handle = this.temporal.workflow.getHandle(workflowIds.rebalance());
    try {
      const desc = await handle.describe();
      const base = { ...this.ref(handle.workflowId, desc.runId), status: desc.status.name, startTime: desc.startTime.toISOString(), closeTime: desc.closeTime?.toISOString() };
      if (desc.status.name === 'RUNNING') return { ...base, progress: await handle.query(rebalanceProgressQuery) };
      if (desc.status.name === 'COMPLETED') return { ...base, result: (await handle.result()) as RebalanceResult };
      if (desc.status.name === 'FAILED') return { ...base, failure: await handle.result().then(() => undefined, failureOf) };
      return base;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new MeiliError('miroir_rebalance_not_found', 'No rebalance has run yet.', 404);
      throw err;
    }
  }
}

/** Why a rebalance failed: its message and, when it says, the failed migrations with theirs. */
export interface RebalanceFailure {
  message: string;
  failures?: unknown;
}

function failureOf(err: unknown): RebalanceFailure {
  const cause = err instanceof WorkflowFailedError ? err.cause : undefined;
  if (cause instanceof ApplicationFailure) return { message: cause.message, ...(cause.details?.[0] !== undefined ? { failures: cause.details[0] } : {}) };
  return { message: (cause ?? (err as Error)).message };
}
