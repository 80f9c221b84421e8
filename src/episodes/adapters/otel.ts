// Traces to episodes: OpenTelemetry spans carrying the GenAI semantic
// conventions (gen_ai.operation.name invoke_agent / chat / execute_tool,
// gen_ai.agent.name, gen_ai.input.messages / gen_ai.output.messages,
// gen_ai.conversation.id) or OpenInference attributes (openinference.span.kind
// AGENT / LLM / TOOL / EVALUATOR, llm.input_messages..., agent.name).
// One episode per trace (or per conversation id); one message per agent turn,
// in span start order; the agent of a model or tool span is its nearest
// invoke_agent / AGENT ancestor; tool spans join the calling agent's turn;
// user and system input is context. Spans in ERROR, and TRAIL-style error
// annotations ({ location: spanId }), label the message they fall in `error`;
// evaluation results become the outcome.
import { InputError } from '../../core/errors.js';
import { describe } from '../../core/validate.js';
import { callText, joinLines, resultText, textOf } from './content.js';
import { ADAPTER_OPTIONS, adapterOptions, CONTEXT_ROLES, episodeRecord, isRecord, optionalString, type AdapterDefaults, type Turn } from './common.js';
import { inputMessages, outputMessages, plainValue, type SpanCall } from './otel-messages.js';
import { spansOf, type Span } from './otel-spans.js';
import { Transcript } from './transcript.js';

/** Options of fromOtel. */
export interface OtelOptions extends AdapterDefaults {
  /**
   * Error annotations keyed by span id, as TRAIL writes them: a list of
   * { location: spanId, category?, description?, ... } or { errors: [...] }.
   * Each labels the message its span falls in `error`.
   */
  errors?: unknown;
  /** One episode per trace, or per conversation (gen_ai.conversation.id, else session.id). Default: conversation where the spans name one. */
  groupBy?: 'trace' | 'conversation';
  /** The evaluation (gen_ai.evaluation.name / evaluation.name) that gives the outcome, when a trace has several. */
  evaluation?: string;
}

/** The option names fromOtel takes. */
export const OTEL_OPTIONS = [...ADAPTER_OPTIONS, 'errors', 'groupBy', 'evaluation'];

type Kind = 'agent' | 'llm' | 'tool' | 'evaluation' | 'other';

const LLM_OPERATIONS = new Set(['chat', 'text_completion', 'generate_content']);

function kindOf(span: Span): Kind {
  const a = span.attributes;
  const operation = a['gen_ai.operation.name'];
  const openInference = typeof a['openinference.span.kind'] === 'string' ? (a['openinference.span.kind'] as string).toUpperCase() : '';
  const traceloop = a['traceloop.span.kind'];
  if (operation === 'invoke_agent' || openInference === 'AGENT' || traceloop === 'agent') return 'agent';
  if (openInference === 'EVALUATOR') return 'evaluation';
  if (operation === 'execute_tool' || openInference === 'TOOL' || traceloop === 'tool') return 'tool';
  if ((typeof operation === 'string' && LLM_OPERATIONS.has(operation)) || openInference === 'LLM' || a['llm.request.type'] === 'chat') return 'llm';
  return 'other';
}

const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

function agentName(span: Span): string {
  const a = span.attributes;
  return str(a['gen_ai.agent.name']) ?? str(a['agent.name']) ?? str(a['graph.node.name']) ?? (span.name.replace(/^invoke_agent\s+/, '') || 'agent');
}

/** An evaluation result found in a trace. */
interface Evaluation {
  name?: string;
  score?: number;
  label?: string;
  root: boolean;
}

const PASS = /^(pass(ed)?|correct|success(ful)?|succeeded|true|yes|relevant|resolved|good)$/i;
const FAIL = /^(fail(ed|ure)?|incorrect|false|no|not[_ ]relevant|irrelevant|unresolved|bad|hallucinated)$/i;

function evaluationOf(attributes: Record<string, unknown>, root: boolean): Evaluation | undefined {
  const score = attributes['gen_ai.evaluation.score.value'] ?? attributes['evaluation.score'];
  const label = attributes['gen_ai.evaluation.score.label'] ?? attributes['evaluation.label'];
  if (score === undefined && label === undefined) return undefined;
  const numeric = typeof score === 'number' ? score : typeof score === 'string' && score.trim() !== '' ? Number(score) : undefined;
  return {
    name: str(attributes['gen_ai.evaluation.name']) ?? str(attributes['evaluation.name']),
    score: numeric !== undefined && Number.isFinite(numeric) ? numeric : undefined,
    label: str(label),
    root,
  };
}

/** The outcome an evaluation states: success from its label, else from a score in [0, 1] (>= 0.5). */
function outcomeOf(evaluation: Evaluation): { score: number; success: boolean } | undefined {
  let success: boolean | undefined;
  if (evaluation.label && PASS.test(evaluation.label)) success = true;
  else if (evaluation.label && FAIL.test(evaluation.label)) success = false;
  else if (evaluation.score !== undefined && evaluation.score >= 0 && evaluation.score <= 1) success = evaluation.score >= 0.5;
  if (success === undefined) return undefined;
  return { score: evaluation.score ?? (success ? 1 : 0), success };
}

/** A piece of transcript a span gives, placed at a time. */
interface Piece {
  at: bigint;
  order: number;
  /** The agent span it belongs to ('' outside any agent), or a context role. */
  key: string;
  agent: string;
  context?: boolean;
  text: string;
  calls: SpanCall[];
  results: Array<{ id?: string; name?: string; text: string; call?: SpanCall }>;
  spans: string[];
}

/** One trace (or conversation) as an episode record. */
function traceEpisode(spans: Span[], id: string, options: OtelOptions, errorSpans: Map<string, unknown[]>): { record: Record<string, unknown>; located: Set<string> } {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const kinds = new Map(spans.map((span) => [span.spanId, kindOf(span)]));
  const agentOf = nearestUp(byId, (span) => (kinds.get(span.spanId) === 'agent' ? span : undefined));
  const inEvaluation = nearestUp(byId, (span) => (kinds.get(span.spanId) === 'evaluation' ? true : undefined));
  const evaluated = (span: Span) => inEvaluation(span) === true;

  const pieces: Piece[] = [];
  // A prompt holds the conversation so far, so a message in it is new only when the prompt
  // holds it (same role and text) more often than the transcript does: the second "continue"
  // of a chat is new, while the task a sub-agent's prompt repeats after its own system
  // message, or the history a window or summary keeps, is not. A prefix match would take
  // both of these for new messages.
  const contextCounts = new Map<string, number>();
  const contextPieces = (span: Span, messages: Array<{ role: string; name?: string; text: string }>) => {
    const inPrompt = new Map<string, number>();
    for (const { role, name, text } of messages) {
      if (text === '') continue;
      const key = `${role}\u0000${text}`;
      const nth = (inPrompt.get(key) ?? 0) + 1;
      inPrompt.set(key, nth);
      if (nth <= (contextCounts.get(key) ?? 0)) continue;
      contextCounts.set(key, nth);
      pieces.push({ at: span.start, order: span.order - 0.5, key: role, agent: name ?? role, context: true, text, calls: [], results: [], spans: [] });
    }
  };
  const owner = (span: Span) => {
    const agent = agentOf(span);
    return agent ? { key: agent.spanId, agent: agentName(agent) } : { key: '', agent: str(span.attributes['gen_ai.agent.name']) ?? str(span.attributes['agent.name']) ?? 'assistant' };
  };
  const evaluations: Evaluation[] = [];
  const contributed = new Set<string>();
  const ordered = [...spans].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.order - b.order));
  for (const span of ordered) {
    const kind = kinds.get(span.spanId)!;
    const root = !span.parentId || !byId.has(span.parentId);
    const evaluation = evaluationOf(span.attributes, root);
    if (evaluation) evaluations.push(evaluation);
    for (const event of span.events) {
      if (event.name !== 'gen_ai.evaluation.result') continue;
      const found = evaluationOf(event.attributes, root);
      if (found) evaluations.push(found);
    }
    if (evaluated(span)) continue;
    if (kind === 'llm' || ((kind === 'agent' || kind === 'other') && root)) {
      contextPieces(span, inputMessages(span, options).filter((message) => CONTEXT_ROLES.has(message.role) && message.role !== 'tool' && message.role !== 'function'));
      const input = root && kind !== 'llm' ? plainValue(span.attributes, 'input') : undefined;
      if (input !== undefined) contextPieces(span, [{ role: 'user', text: input }]);
    }
    if (kind === 'llm') {
      const { key, agent } = owner(span);
      const outputs = outputMessages(span, options).filter((message) => message.role === 'assistant' || message.role === 'model' || !CONTEXT_ROLES.has(message.role));
      const fromInput = inputMessages(span, options).flatMap((message) => message.results);
      const text = joinLines(...outputs.map((message) => message.text));
      const calls = outputs.flatMap((message) => message.calls);
      pieces.push({ at: span.start, order: span.order, key, agent, text, calls, results: fromInput, spans: [span.spanId] });
      contributed.add(key);
    } else if (kind === 'tool') {
      const { key, agent } = owner(span);
      const a = span.attributes;
      const name = str(a['gen_ai.tool.name']) ?? str(a['tool.name']) ?? (span.name.replace(/^execute_tool\s+/, '') || 'tool');
      const id = str(a['gen_ai.tool.call.id']) ?? str(a['tool_call.id']);
      const args = a['gen_ai.tool.call.arguments'] ?? a['tool.parameters'] ?? a['input.value'];
      const output = a['gen_ai.tool.call.result'] ?? a['output.value'];
      const result = output === undefined ? (span.error !== undefined ? `error: ${span.error}` : '') : textOf(output, 'gen_ai.tool.call.result', options);
      pieces.push({ at: span.start, order: span.order, key, agent, text: '', calls: [], results: [{ id, name, text: result, call: { id, name, args: typeof args === 'string' ? args : args === undefined ? undefined : JSON.stringify(args) } }], spans: [span.spanId] });
      contributed.add(key);
    }
  }
  // An agent span whose work no model or tool span recorded speaks through its own output.
  for (const span of spans) {
    if (kinds.get(span.spanId) !== 'agent' || contributed.has(span.spanId) || evaluated(span)) continue;
    const outputs = outputMessages(span, options);
    const text = outputs.length > 0 ? joinLines(...outputs.map((message) => message.text)) : (plainValue(span.attributes, 'output') ?? '');
    if (text !== '') pieces.push({ at: span.end, order: span.order, key: span.spanId, agent: agentName(span), text, calls: outputs.flatMap((message) => message.calls), results: [], spans: [span.spanId] });
  }
  pieces.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.order - b.order));

  const transcript = new Transcript();
  const turnOfSpan = new Map<string, number>();
  let lastKey: string | undefined;
  let lastTurn = -1;
  for (const piece of pieces) {
    if (piece.context) {
      transcript.add({ agent: piece.agent, content: piece.text, context: true });
      lastKey = undefined;
      continue;
    }
    const extra: string[] = [];
    for (const result of piece.results) {
      if (transcript.result(result.id, result.text, result.name)) continue;
      // Tool spans without a call id (some SDKs record none) answer the oldest open call of their tool.
      if (result.id === undefined && result.name !== undefined && transcript.resultByName(result.name, result.text)) continue;
      if (result.call) extra.push(joinLines(callText(result.call.name, result.call.args), result.text === '' ? undefined : resultText(result.name, result.text)));
    }
    const text = joinLines(piece.text, ...piece.calls.map((call) => callText(call.name, call.args)), ...extra);
    if (text === '') {
      if (lastTurn !== -1 && lastKey === piece.key) for (const id of piece.spans) turnOfSpan.set(id, lastTurn);
      continue;
    }
    if (lastKey !== piece.key || lastTurn === -1) {
      lastTurn = transcript.add({ agent: piece.agent, content: '' } as Turn);
      lastKey = piece.key;
    }
    transcript.append(transcript.turns[lastTurn], text);
    for (const call of piece.calls) transcript.call(lastTurn, call.name, call.id);
    for (const id of piece.spans) turnOfSpan.set(id, lastTurn);
  }

  // Where a span's error shows: its own turn, else the last turn of its descendants, else its nearest ancestor's.
  const children = new Map<string, Span[]>();
  for (const span of spans) if (span.parentId) (children.get(span.parentId) ?? children.set(span.parentId, []).get(span.parentId)!).push(span);
  const turnAbove = nearestUp(byId, (span) => turnOfSpan.get(span.spanId));
  const turnOf = (span: Span): number | undefined => {
    const own = turnOfSpan.get(span.spanId);
    if (own !== undefined) return own;
    let last: number | undefined;
    for (const below of descendants(span, children)) {
      const turn = turnOfSpan.get(below.spanId);
      if (turn !== undefined && (last === undefined || turn > last)) last = turn;
    }
    return last ?? turnAbove(span);
  };
  const chosen = options.evaluation !== undefined ? evaluations.filter((evaluation) => evaluation.name === options.evaluation) : evaluations;
  const evaluation = chosen.find((item) => item.root) ?? chosen[chosen.length - 1];
  const outcome = (evaluation ? outcomeOf(evaluation) : undefined) ?? options.outcome;
  // A span in ERROR inside a trace that succeeded is a failure the team got past (a call
  // retried after a 429, a handled exception): not the decisive error the label means, and
  // an `error` label there would contradict the agent's credit. Annotated errors still label.
  const inError = isRecord(outcome) && outcome.success === true ? new Set<string>() : new Set(spans.filter((span) => span.error !== undefined).map((span) => span.spanId));
  const located = new Set<string>();
  const mark = (span: Span) => {
    const turn = turnOf(span);
    if (turn !== undefined) transcript.turns[turn].label = 'error';
  };
  for (const span of spans) {
    // An error that a descendant's error explains is located at the descendant.
    if (inError.has(span.spanId) && !(children.get(span.spanId) ?? []).some((child) => inError.has(child.spanId) || hasErrorBelow(child, children, inError))) mark(span);
    if (errorSpans.has(span.spanId)) {
      mark(span);
      located.add(span.spanId);
    }
  }

  const errors = spans.flatMap((span) => errorSpans.get(span.spanId) ?? []);
  const beside: Record<string, unknown> = { id };
  if (errors.length > 0) beside.annotations = { errors };
  const task = options.task ?? transcript.turns.find((turn) => turn.context && turn.agent === 'user')?.content;
  const record = episodeRecord(transcript.turns.filter((turn) => turn.content !== ''), beside, { ...options, task, outcome });
  return { record, located };
}

function hasErrorBelow(span: Span, children: Map<string, Span[]>, inError: Set<string>): boolean {
  for (const below of descendants(span, children)) if (inError.has(below.spanId)) return true;
  return false;
}

/**
 * The spans below a span, each once: a parent chain that loops (a malformed
 * export) would otherwise be walked round forever. Pushed one by one, as a
 * spread of a span's children overflows the stack past about 100,000.
 */
function* descendants(span: Span, children: Map<string, Span[]>): Generator<Span> {
  const seen = new Set<Span>([span]);
  const stack: Span[] = [span];
  while (stack.length > 0) {
    for (const child of children.get(stack.pop()!.spanId) ?? []) {
      if (seen.has(child)) continue;
      seen.add(child);
      stack.push(child);
      yield child;
    }
  }
}

const PENDING = Symbol('pending');

/**
 * For a span, the value `own` gives for the nearest of itself and its
 * ancestors that has one (undefined when none has). Memoized along the
 * parent chains, so that a trace costs time linear in its spans where a walk
 * up from every span was quadratic in deep traces (agents calling agents); a
 * chain that loops ends where it comes back to a span.
 */
function nearestUp<T>(byId: Map<string, Span>, own: (span: Span) => T | undefined): (span: Span) => T | undefined {
  // PENDING marks the spans of the walk under way: meeting one again closes a loop.
  const memo = new Map<Span, T | undefined | typeof PENDING>();
  return (start) => {
    const path: Span[] = [];
    let found: T | undefined;
    for (let at: Span | undefined = start; at; at = at.parentId ? byId.get(at.parentId) : undefined) {
      if (memo.has(at)) {
        const known = memo.get(at);
        if (known !== PENDING) found = known;
        break;
      }
      found = own(at);
      if (found !== undefined) {
        memo.set(at, found);
        break;
      }
      memo.set(at, PENDING);
      path.push(at);
    }
    for (const span of path) memo.set(span, found);
    return found;
  };
}

/** TRAIL-style error annotations by span id. */
function errorIndex(errors: unknown): Map<string, unknown[]> {
  const index = new Map<string, unknown[]>();
  if (errors === undefined) return index;
  const list = isRecord(errors) && Array.isArray(errors.errors) ? errors.errors : errors;
  if (!Array.isArray(list)) throw new InputError([{ path: 'errors', message: `expected error annotations as a list of { location: spanId, ... } or { errors: [...] }, got ${describe(errors)}` }]);
  list.forEach((error, i) => {
    const location = isRecord(error) ? optionalString(error.location) ?? optionalString(error.span_id) ?? optionalString(error.spanId) : undefined;
    if (!location) throw new InputError([{ path: `errors[${i}].location`, message: `expected the id of the span the error is in, got ${describe(isRecord(error) ? error.location : error)}` }]);
    (index.get(location) ?? index.set(location, []).get(location)!).push(error);
  });
  return index;
}

/**
 * Episode v1 records from OpenTelemetry spans: OTLP JSON (one export request
 * or a list of them), a list of spans, or { spans } (TRAIL). Error annotations
 * and the evaluation may travel beside the spans ({ resourceSpans, errors,
 * outcome }) or come in the options.
 */
export function fromOtel(input: unknown, given: OtelOptions | null = {}): Array<Record<string, unknown>> {
  const options = adapterOptions(given, OTEL_OPTIONS);
  const beside = isRecord(input) ? input : {};
  const errors = errorIndex(options.errors ?? beside.errors);
  const spans = spansOf(input);
  if (spans.length === 0) throw new InputError([{ path: 'spans', message: 'no spans: expected at least one span' }]);
  const conversationOf = new Map<string, string>();
  if (options.groupBy !== 'trace') {
    for (const span of spans) {
      const conversation = str(span.attributes['gen_ai.conversation.id']) ?? str(span.attributes['session.id']);
      if (conversation && !conversationOf.has(span.traceId)) conversationOf.set(span.traceId, conversation);
    }
  }
  const groups = new Map<string, Span[]>();
  for (const span of spans) {
    const key = conversationOf.get(span.traceId) ?? span.traceId;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(span);
  }
  const outcome = isRecord(beside.outcome) ? (beside.outcome as AdapterDefaults['outcome']) : options.outcome;
  const records: Array<Record<string, unknown>> = [];
  const located = new Set<string>();
  for (const [key, group] of groups) {
    const id = groups.size === 1 && typeof beside.id === 'string' ? beside.id : key;
    const built = traceEpisode(group, id, { ...options, outcome }, errors);
    for (const span of built.located) located.add(span);
    records.push(built.record);
  }
  const unknown = [...errors.keys()].filter((span) => !located.has(span));
  if (unknown.length > 0) throw new InputError([{ path: 'errors', message: `no span has id ${unknown.map((span) => JSON.stringify(span)).join(', ')}; error locations must be span ids of these traces` }]);
  return records;
}
