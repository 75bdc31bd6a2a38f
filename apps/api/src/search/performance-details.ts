import { mergePerformanceDetails, type PerformanceDetails } from '@miroir/core';

// `showPerformanceDetails` on Miroir's reads (docs/api-compatibility.md): the nodes' step timings
// merged (each step's slowest node), then Miroir's own steps: the fan-out, from the first node
// request to the last answer (retries included), and the merge of the answers.

export const FAN_OUT_STEP = 'miroir > scatter-gather';
export const MERGE_STEP = 'miroir > merge results';

/** Nanoseconds since `start` (a `process.hrtime.bigint()` reading). */
export function elapsedNs(start: bigint): number {
  return Number(process.hrtime.bigint() - start);
}

/** The node answers' `performanceDetails`, whatever else they hold. */
export function nodeDetails(values: readonly unknown[]): (PerformanceDetails | undefined)[] {
  return values.map((v) => {
    const d = typeof v === 'object' && v !== null ? (v as { performanceDetails?: unknown }).performanceDetails : undefined;
    return typeof d === 'object' && d !== null && !Array.isArray(d) ? (d as PerformanceDetails) : undefined;
  });
}

/** The merged details of one read fanned out to nodes (see the file comment). */
export function readPerformanceDetails(nodeValues: readonly unknown[], fanOutNs: number, mergeNs: number): PerformanceDetails {
  return mergePerformanceDetails(nodeDetails(nodeValues), { [FAN_OUT_STEP]: fanOutNs, [MERGE_STEP]: mergeNs });
}
