// A dataset's own verdict beside the library's: Who&When annotates the agent
// and step of the decisive mistake (mistake_agent, mistake_step). The signals
// carry the annotations and say whether the first error the library found
// agrees with them, so a disagreement (including one inside the annotation,
// where mistake_agent is not the writer of mistake_step) is visible per episode.
import type { FirstError } from './first-error.js';
import type { Episode } from './vocabulary.js';

/** Whether the library's first error names the annotated agent and step; null where the annotation or the first error is missing. */
export interface AnnotationAgreement {
  agent: boolean | null;
  step: boolean | null;
}

/** mistake_step as a message index (an integer or a string of digits), else undefined. */
function stepOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

/** The agreement of a first error with an episode's mistake_agent / mistake_step annotations (exact names: letter case counts). */
export function annotationAgreement(episode: Pick<Episode, 'annotations'>, firstError: FirstError | null): AnnotationAgreement {
  const annotations = episode.annotations ?? {};
  const agent = typeof annotations.mistake_agent === 'string' ? annotations.mistake_agent : undefined;
  const step = stepOf(annotations.mistake_step);
  return {
    agent: agent === undefined || !firstError ? null : firstError.agent === agent,
    step: step === undefined || !firstError ? null : firstError.index === step,
  };
}
