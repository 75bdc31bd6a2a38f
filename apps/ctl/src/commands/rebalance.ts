import type { Command } from 'commander';
import type { ContextFactory } from '../context';
import type { Output } from '../output';

interface WorkflowRef {
  workflowId: string;
  runId?: string;
  link: string;
}

interface Progress {
  state: string;
  plan?: { moves: number; estimatedDocuments: number; joining?: string[]; draining?: string[] };
  completed: number;
  running: number;
  pending?: number;
  failed: number;
  rolledBack?: number;
  documentsCopied: number;
}

interface Status extends WorkflowRef {
  status: string;
  startTime?: string;
  closeTime?: string;
  progress?: Progress;
  result?: Progress;
  failure?: { message: string; failures?: Array<{ workflowId: string; message: string }> };
}

function printProgress(out: Output, p: Progress): void {
  const moves = p.plan?.moves ?? 0;
  out.line(`state       ${p.state}`);
  out.line(`shards      ${p.completed}/${moves} moved, ${p.running} running, ${p.pending ?? 0} pending, ${p.failed} failed${p.rolledBack ? `, ${p.rolledBack} rolled back` : ''}`);
  out.line(`documents   ${p.documentsCopied} copied of ~${p.plan?.estimatedDocuments ?? '?'}`);
  if (p.plan?.joining?.length) out.line(`joining     ${p.plan.joining.join(', ')}`);
  if (p.plan?.draining?.length) out.line(`draining    ${p.plan.draining.join(', ')}`);
}

/** `miroir-ctl rebalance start|plan|pause|resume|cancel|status` over `/_miroir/rebalance`. */
export function registerRebalance(program: Command, context: ContextFactory): void {
  const rebalance = program.command('rebalance').description('move shards to match the topology (a Temporal workflow)');
  rebalance
    .command('start')
    .description('start the rebalance workflow')
    .action(async (_o: unknown, command: Command) => {
      const { client, out, json } = context(command);
      const r = await client.post<WorkflowRef>('/_miroir/rebalance', { requestedBy: 'miroir-ctl' });
      if (json) out.json(r);
      else out.line(`started ${r.workflowId}  ${r.link}`);
    });
  rebalance
    .command('plan')
    .description('compute the plan without moving anything (dry run)')
    .action(async (_o: unknown, command: Command) => {
      const { client, out, json } = context(command);
      const r = await client.post<WorkflowRef & { plan: Progress }>('/_miroir/rebalance', { dryRun: true, requestedBy: 'miroir-ctl' });
      if (json) out.json(r);
      else {
        out.line(`plan from ${r.workflowId}  ${r.link}`);
        out.line(`shards to move: ${r.plan.plan?.moves ?? 0}, documents: ~${r.plan.plan?.estimatedDocuments ?? 0}`);
      }
    });
  for (const verb of ['pause', 'resume', 'cancel'] as const) {
    rebalance
      .command(verb)
      .description(`${verb} the running rebalance`)
      .action(async (_o: unknown, command: Command) => {
        const { client, out, json } = context(command);
        const r = await client.post<WorkflowRef>(`/_miroir/rebalance/${verb}`);
        if (json) out.json(r);
        else out.line(`${verb} sent to ${r.workflowId}  ${r.link}`);
      });
  }
  rebalance
    .command('status')
    .description('progress of the running (or last) rebalance')
    .action(async (_o: unknown, command: Command) => {
      const { client, out, json } = context(command);
      const s = await client.get<Status>('/_miroir/rebalance/status');
      if (json) {
        out.json(s);
        return;
      }
      out.line(`workflow    ${s.workflowId} (${s.status})  ${s.link}`);
      const p = s.progress ?? s.result;
      if (p) printProgress(out, p);
      if (s.failure) {
        out.line(`failed      ${s.failure.message}`);
        for (const f of s.failure.failures ?? []) out.line(`            ${f.workflowId}: ${f.message}`);
      }
    });
}
