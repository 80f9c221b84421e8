// Checks on exported rows as the strictest chat templates see them. Gemma,
// Gemma 3, Cohere and Cohere 2 take an optional system turn first, then
// require message k (counting from 0 after it) to be a user turn exactly when
// k is even: user and assistant strictly alternating, starting with user.
import type { Turn } from '../../src/episodes/agent-view.js';

/** Why a conversation fails the alternation rule, or null when it passes. */
export function alternationProblem(turns: readonly Turn[]): string | null {
  const rest = turns[0]?.role === 'system' ? turns.slice(1) : turns;
  if (rest.length === 0) return 'no turn after the system turn';
  for (let k = 0; k < rest.length; k++) {
    const role = rest[k].role;
    if (role !== 'user' && role !== 'assistant') return `turn ${k}: role ${role} is neither user nor assistant`;
    if ((role === 'user') !== (k % 2 === 0)) return `turn ${k}: ${role} where the roles must alternate user/assistant starting with user`;
  }
  return null;
}

/** Problems of one conversational row: every prompt + completion it renders alternates, ends its prompt with a user turn, and every assistant turn is the row's agent's. */
export function conversationalRowProblems(row: { agent: string; prompt: Turn[] } & Record<string, unknown>): string[] {
  const problems: string[] = [];
  const completions = (['chosen', 'rejected', 'completion'] as const).filter((key) => key in row).map((key) => row[key] as Turn[]);
  if (completions.length === 0) problems.push('no completion');
  if (row.prompt.at(-1)?.role !== 'user') problems.push('the prompt does not end with a user turn');
  for (const completion of completions) {
    const conversation = [...row.prompt, ...completion];
    const problem = alternationProblem(conversation);
    if (problem) problems.push(problem);
    for (const turn of conversation) {
      if (turn.role === 'assistant' && turn.name !== row.agent) problems.push(`an assistant turn of ${turn.name} in a row of ${row.agent}`);
      if (typeof turn.content !== 'string') problems.push('content is not a string');
    }
    if (completion.length !== 1 || completion[0].role !== 'assistant') problems.push('the completion is not one assistant turn');
  }
  return problems;
}
