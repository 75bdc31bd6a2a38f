// Names and shapes shared by the taskCancelation / taskDeletion workflows, their activities and the
// API that starts them. Pure types and constants: safe in the workflow sandbox and in Node alike.

export const TASK_CANCELATION_WORKFLOW = 'taskCancelationWorkflow';
export const TASK_DELETION_WORKFLOW = 'taskDeletionWorkflow';

export type TaskOperationType = 'taskCancelation' | 'taskDeletion';

/** Everything else (the filter, matched count) is in the task's row, so a lost run can be started again from it. */
export interface TaskOperationInput {
  taskUid: number;
}

/** One workflow per operation task; the id makes starting it twice harmless. */
export function taskOperationWorkflowId(type: TaskOperationType, taskUid: number): string {
  return `${type === 'taskCancelation' ? 'task-cancelation' : 'task-deletion'}:${taskUid}`;
}

export function taskOperationWorkflowType(type: TaskOperationType): string {
  return type === 'taskCancelation' ? TASK_CANCELATION_WORKFLOW : TASK_DELETION_WORKFLOW;
}
