// Cumulative usage of one judge. Wall time counts the time during which at
// least one judgement was running, so concurrent judgements are not counted
// twice.
import type { JudgeUsage } from '../episodes/judge-contract.js';

export class UsageMeter {
  calls = 0;
  cacheHits = 0;
  promptTokens = 0;
  completionTokens = 0;
  private busyMs = 0;
  private running = 0;
  private since = 0;

  async time<T>(judgement: () => Promise<T>): Promise<T> {
    if (this.running++ === 0) this.since = performance.now();
    try {
      return await judgement();
    } finally {
      if (--this.running === 0) this.busyMs += performance.now() - this.since;
    }
  }

  snapshot(): JudgeUsage {
    const wallMs = this.busyMs + (this.running > 0 ? performance.now() - this.since : 0);
    return { calls: this.calls, cacheHits: this.cacheHits, promptTokens: this.promptTokens, completionTokens: this.completionTokens, wallMs };
  }
}
