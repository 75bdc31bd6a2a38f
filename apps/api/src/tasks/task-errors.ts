import { MeiliError } from '../errors/meili-error';

// Errors of the task and batch routes, worded as Meilisearch 1.50 words them (checked against the binary).

const FILTER_PARAMS = ['uids', 'indexUids', 'statuses', 'types', 'canceledBy', 'beforeEnqueuedAt', 'afterEnqueuedAt', 'beforeStartedAt', 'afterStartedAt', 'beforeFinishedAt', 'afterFinishedAt'];

export const taskErrors = {
  missingTaskFilters: (operation: 'cancel' | 'delete') =>
    new MeiliError(
      'missing_task_filters',
      `Query parameters to filter the tasks to ${operation} are missing. Available query parameters are: ${FILTER_PARAMS.map((p) => `\`${p}\``).join(', ')}.`,
    ),
  batchNotFound: (uid: number) => new MeiliError('batch_not_found', `Batch \`${uid}\` not found.`, 404),
  taskDocumentsFeatureNotEnabled: () =>
    new MeiliError(
      'feature_not_enabled',
      'Getting the documents of an enqueued task requires enabling the `get task documents route` experimental feature. See https://github.com/orgs/meilisearch/discussions/808',
    ),
  taskFileNotFound: (uid: number) =>
    new MeiliError(
      'task_file_not_found',
      `Task \`${uid}\` does not contain any documents. Only \`documentAdditionOrUpdate\` tasks with the statuses \`enqueued\` or \`processing\` contain documents`,
      404,
    ),
};
