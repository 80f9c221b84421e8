// Servers that cut a prompt longer than their context to fit, answer 200 and
// report the cut length as the prompt's size (Ollama below its context
// length): the judge would score the end of each transcript and nothing would
// say so. The sign they leave: the same prompt_tokens, a round context-sized
// number, for prompts of clearly different lengths, each far longer than that
// many tokens can hold.

/** Characters per token above which a prompt is too long for the tokens reported (English prose runs about 4). */
const CHARS_PER_TOKEN = 6;
/** Contexts are at least this many tokens; smaller counts are prompt caches reporting only what they evaluated. */
const LEAST_CONTEXT = 1024;
/** Prompts with one count needed: two can share a count by chance, three of these lengths practically cannot. */
const WITNESSES = 3;
/** Lengths count as different when they differ by this share at least. */
const DISTINCT = 0.05;

export class CutPromptWatch {
  /** Lengths in characters of the long prompts seen per reported prompt_tokens. */
  private readonly lengths = new Map<number, number[]>();

  /**
   * Records a reply's prompt (its total content length in characters) and
   * the server's prompt_tokens for it; returns what went wrong once the
   * server has shown it cuts prompts, else undefined.
   */
  observe(promptChars: number, promptTokens: number): string | undefined {
    if (promptTokens < LEAST_CONTEXT || promptChars < CHARS_PER_TOKEN * promptTokens) return undefined;
    const seen = this.lengths.get(promptTokens) ?? [];
    if (seen.every((chars) => Math.abs(chars - promptChars) >= DISTINCT * Math.max(chars, promptChars))) seen.push(promptChars);
    this.lengths.set(promptTokens, seen);
    if (seen.length < WITNESSES) return undefined;
    const shortest = Math.min(...seen).toLocaleString('en-US');
    const longest = Math.max(...seen).toLocaleString('en-US');
    return (
      `the server counted ${promptTokens} prompt tokens for each of ${seen.length} prompts of ${shortest} to ${longest} characters: it cuts prompts longer than its context to fit ` +
      '(Ollama does so without an error; start it with OLLAMA_CONTEXT_LENGTH set above your longest transcript, e.g. 32768, and check the CONTEXT of `ollama ps`). ' +
      'Replies to cut prompts judged only the end of their transcripts: judge again with another cache file once the context is raised'
    );
  }
}
