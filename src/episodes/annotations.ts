// A dataset's own verdict beside the library's: Who&When annotates the agent
// and step of the decisive mistake (mistake_agent, mistake_step). The signals
// carry the annotations and say whether the first error the library found
// agrees with them, so a disagreement (including one inside the annotation,
// where mistake_agent is not the writer of mistake_step) is visible per episode.
import { InputError, type InputIssue } from '../core/errors.js';
import { describe, isRecord } from '../core/validate.js';
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
  // Unchecked, a missing episode was a TypeError and a first error without agent or index "disagreed".
  const issues: InputIssue[] = [];
  if (!isRecord(episode)) issues.push({ path: 'episode', message: `expected an episode (an object with annotations), got ${describe(episode)}` });
  else if (episode.annotations !== undefined && !isRecord(episode.annotations)) issues.push({ path: 'episode.annotations', message: `expected an object, got ${describe(episode.annotations)}` });
  if (firstError !== null && !(isRecord(firstError) && typeof firstError.agent === 'string' && Number.isInteger(firstError.index))) {
    issues.push({ path: 'firstError', message: `expected null or a first error { agent, index, ... } (signals.firstError), got ${describe(firstError)}` });
  }
  if (issues.length > 0) throw new InputError(issues, 'annotationAgreement');
  const annotations = episode.annotations ?? {};
  const agent = typeof annotations.mistake_agent === 'string' ? annotations.mistake_agent : undefined;
  const step = stepOf(annotations.mistake_step);
  return {
    agent: agent === undefined || !firstError ? null : firstError.agent === agent,
    step: step === undefined || !firstError ? null : firstError.index === step,
  };
}
