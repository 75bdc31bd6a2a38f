export interface ApiErrorInfo {
  status: number;
  code: string;
  message: string;
  type: string;
}

/** Awaits a client call expected to fail with a Meilisearch API error and returns its parts. */
export async function apiError(p: Promise<unknown>): Promise<ApiErrorInfo> {
  try {
    await p;
  } catch (err) {
    // The client's error classes live in Node's realm, so check by shape, not instanceof.
    const e = err as { name?: string; response?: { status: number }; cause?: { code?: string; message?: string; type?: string } };
    if (e.name !== 'MeilisearchApiError') throw err;
    return { status: e.response?.status ?? 0, code: e.cause?.code ?? '', message: e.cause?.message ?? '', type: e.cause?.type ?? '' };
  }
  throw new Error('expected the call to fail');
}
