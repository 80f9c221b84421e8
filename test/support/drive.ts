// Drives a CoalitionSampler over a value table through ask/tell, the way an
// evaluator driver does, and records every coalition it asks for.
import type { CoalitionSampler } from '../../src/estimators/ask-tell.js';

export interface DrivenRun {
  /** Masks asked, in order (as numbers; tables here have n <= 30). */
  asked: number[];
  batches: number;
}

export function driveOnTable(sampler: CoalitionSampler, table: Float64Array, budget: number): DrivenRun {
  const asked: number[] = [];
  let batches = 0;
  for (;;) {
    const masks = sampler.ask(budget - asked.length);
    if (masks.length === 0) break;
    batches++;
    const values = new Float64Array(masks.length);
    masks.forEach((mask, k) => {
      asked.push(mask);
      values[k] = table[mask];
    });
    sampler.tell(values);
  }
  return { asked, batches };
}
