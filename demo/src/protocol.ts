// Messages between the page and its worker, and the plain data the worker
// returns (structured-clone friendly: arrays and objects only).
import type { Signals } from 'agent-credit/episodes';

export type ExportKind = 'signals' | 'dpo' | 'kto' | 'prm' | 'rewards';
export const EXPORT_KINDS: readonly ExportKind[] = ['signals', 'dpo', 'kto', 'prm', 'rewards'];

/**
 * What the user loaded: its text, or for a file the file itself. A file goes to
 * the worker as a Blob (cloned by reference) and is read there: cloning a
 * 10 MB string into every worker message blocked the page for ~55 ms each time.
 */
export type LoadedSource = {
  /** File or example name, shown to the user and used to guess JSON vs JSONL. */
  name: string;
} & ({ text: string } | { file: Blob });

/** A source whose text has been read (inside the worker). */
export interface ReadSource {
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

/** An episode as the page shows it: the parts the components draw, and the library's Signals for it. */
export interface EpisodeEntry {
  kind: 'episode';
  /** Position in the run; the worker keeps the preference rows, asked for by it. */
  index: number;
  episode: {
    id: string;
    task?: string;
    agents: string[];
    messages: Array<{ id: string; agent: string; content: string; label?: string }>;
    outcome: { score: number; success: boolean };
    repairs: Array<{ message: string; content: string }>;
    /** v(∅) from the coalition table; null without one. */
    emptyValue: number | null;
  };
  signals: Signals;
  /** How the credit was computed, e.g. 'exact' or 'sampled (permutation)'. */
  method: string;
  /** How many preference rows the episode exports (the rows stay in the worker until shown). */
  preferenceCount: number;
}

/** The preference rows exactly as the exporters write them. */
export type PreferenceRows = { kind: 'dpo' | 'kto'; row: unknown }[];

/** A value table { players, values } and what the library computes from it. */
export interface TableEntry {
  kind: 'table';
  id: string;
  result: { players: string[]; values: number[]; stderr: number[] | null; method: string; evaluations: number };
  interactions: { players: string[]; matrix: number[] };
}

export type ResultEntry = EpisodeEntry | TableEntry;

/** What the user set in the setup step; each field left out keeps what the input says. */
export interface Setup {
  outcome?: { score: number; success: boolean };
  /** The speakers who are players; every other speaker is context. */
  agents?: string[];
  /** Id of the message the user marked as the first error. */
  firstError?: string;
}

/** An OpenAI-compatible endpoint that judges what the input lacks; the key lives in memory only. */
export interface JudgeConnection {
  baseURL: string;
  model: string;
  apiKey?: string;
}

/** What the setup step offers for a single loaded transcript. */
export interface Draft {
  format: string;
  id: string;
  speakers: Array<{ name: string; agent: boolean; messages: number }>;
  messages: Array<{ id: string; agent: string; preview: string }>;
  outcome: { score: number; success: boolean } | null;
  hasCoalitions: boolean;
}

export interface AttributionResult {
  source: string;
  format: string;
  /** Entries are streamed while the run goes on (Response 'entries'); this is their count. */
  entries: number;
  /** Rows per export kind; absent kinds do not apply to this input. The text stays in the worker until downloaded. */
  exports: Partial<Record<ExportKind, number>>;
  /** Records that could not be attributed; the others are in the entries. */
  problems: InputProblem[];
  /** Why nothing exportable came out, when nothing did (what is missing). */
  missing: string[];
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
  | { kind: 'attribute'; id: number; source: LoadedSource; options: RunOptions; setup: Setup; judge: JudgeConnection | null }
  | { kind: 'inspect'; id: number; source: LoadedSource; options: RunOptions }
  | { kind: 'export'; id: number; export: ExportKind }
  | { kind: 'preferences'; id: number; index: number }
  | { kind: 'playground'; id: number; request: PlaygroundRequest }
  /** Stop attribution run `id` between two records, keeping what it attributed so far. */
  | { kind: 'cancel'; id: number };

export type Response =
  | { kind: 'progress'; id: number; done: number; total: number }
  | { kind: 'entries'; id: number; entries: ResultEntry[] }
  | { kind: 'result'; id: number; value: AttributionResult | PlaygroundResult | Draft | PreferenceRows | string | null }
  | { kind: 'failure'; id: number; problems: InputProblem[] }
  /** Attribution run `id` stopped as asked. */
  | { kind: 'stopped'; id: number };
