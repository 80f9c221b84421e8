// Messages between the page and its worker, and the plain data the worker
// returns (structured-clone friendly: arrays and objects only).

export type ExportKind = 'signals' | 'dpo' | 'kto' | 'prm' | 'rewards';
export const EXPORT_KINDS: readonly ExportKind[] = ['signals', 'dpo', 'kto', 'prm', 'rewards'];

export interface LoadedSource {
  /** File or example name, shown to the user and used to guess JSON vs JSONL. */
  name: string;
  text: string;
}

export interface RunOptions {
  method: 'auto' | 'exact' | 'permutation';
  budget: number;
  seed: number;
  /** Input format, or 'auto' to detect it. */
  format: string;
}

/** One thing wrong with the input, located as precisely as we can. */
export interface InputProblem {
  /** 1-based line in the loaded text; null when unknown. */
  line: number | null;
  /** Field path such as `messages[2].agent`; empty when the record as a whole is at fault. */
  field: string;
  message: string;
}

export interface AgentCredit {
  agent: string;
  credit: number;
  /** Standard error when sampled; null when exact. */
  stderr: number | null;
}

export interface TimelineMessage {
  id: string;
  index: number;
  agent: string;
  content: string;
  label: string | null;
  reward: number | null;
  corrective: boolean;
}

export interface FirstError {
  id: string;
  index: number;
  agent: string;
  strategy: string;
}

export interface EpisodeView {
  id: string;
  task: string | null;
  success: boolean | null;
  /** How the credits were computed, e.g. 'exact' or 'permutation'. */
  method: string;
  /** Every agent of the episode, with or without credit. */
  agentNames: string[];
  /** Credit per agent; empty when the episode has no coalition values. */
  agents: AgentCredit[];
  interactions: { players: string[]; matrix: number[] } | null;
  messages: TimelineMessage[];
  firstError: FirstError | null;
  repairs: { message: string; content: string }[];
  /** The preference rows exactly as the exporters write them. */
  preferences: { kind: 'dpo' | 'kto'; row: unknown }[];
}

export interface AttributionResult {
  source: string;
  format: string;
  episodes: EpisodeView[];
  /** JSONL text per export kind; absent kinds do not apply to this input. */
  exports: Partial<Record<ExportKind, string>>;
  /** Records that could not be attributed; the others are in `episodes`. */
  problems: InputProblem[];
  elapsedMs: number;
}

export interface PlaygroundRequest {
  game: 'soum' | 'airport' | 'voting' | 'quadratic';
  n: number;
  budget: number;
  seed: number;
}

export interface PlaygroundResult extends PlaygroundRequest {
  players: string[];
  exact: { values: number[]; ms: number; evaluations: number; closedFormError: number };
  sampled: { values: number[]; stderr: number[]; ms: number; evaluations: number; maxError: number };
}

export type Request =
  | { kind: 'attribute'; id: number; source: LoadedSource; options: RunOptions }
  | { kind: 'playground'; id: number; request: PlaygroundRequest };

export type Response =
  | { kind: 'progress'; id: number; done: number; total: number }
  | { kind: 'result'; id: number; value: AttributionResult | PlaygroundResult }
  | { kind: 'failure'; id: number; problems: InputProblem[] };
