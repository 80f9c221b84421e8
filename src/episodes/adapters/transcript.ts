// A transcript being built by an adapter: turns in order, and the tool calls
// they made, so that a tool result linked to its call (tool_call_id, call_id,
// tool_use_id) joins the turn of the agent that called the tool instead of
// becoming a speaker of its own.
import { resultText } from './content.js';
import type { Turn } from './common.js';

export class Transcript {
  readonly turns: Turn[] = [];
  /** Call id -> the index of the turn that made the call, and the tool's name. */
  private readonly calls = new Map<string, { turn: number; name: string }>();
  /**
   * Open calls by tool name, oldest first, for formats that link results by
   * name only (OpenAI's legacy `function` role, tool spans without a call id).
   * Each keeps its id, so that a call answered by name is closed under its id too.
   */
  private readonly unanswered = new Map<string, Array<{ turn: number; id?: string }>>();

  /** Adds a turn; returns its index. */
  add(turn: Turn): number {
    this.turns.push(turn);
    return this.turns.length - 1;
  }

  /** The last turn, when it is `agent`'s (an agent turn goes on until someone else speaks). */
  lastOf(agent: string): Turn | undefined {
    const last = this.turns[this.turns.length - 1];
    return last && last.agent === agent && !last.context ? last : undefined;
  }

  /**
   * Appends text to a turn (a new line). By `+`, not by joining a list: the
   * engine links the two strings and copies once, when the text is read,
   * where a join copied the whole turn at every append (quadratic in a turn
   * of thousands of tool calls).
   */
  append(turn: Turn, text: string): void {
    if (text === '') return;
    turn.content = turn.content === '' ? text : turn.content + '\n' + text;
  }

  /** Records that the turn at `index` called tool `name` (with `id` when the format has one). */
  call(index: number, name: string, id?: string): void {
    if (id) this.calls.set(id, { turn: index, name });
    const pending = this.unanswered.get(name) ?? [];
    pending.push({ turn: index, id });
    this.unanswered.set(name, pending);
  }


  /**
   * Attaches a tool result to the turn that made the call with this id; false
   * (nothing attached) when no open call has that id. A call takes one result:
   * traces repeat results (the tool span, then the next prompt's tool message).
   */
  result(id: string | undefined, output: string, name?: string): boolean {
    const call = id === undefined ? undefined : this.calls.get(id);
    if (!call) return false;
    this.append(this.turns[call.turn], resultText(name ?? call.name, output));
    this.calls.delete(id!);
    this.answered(call.name, id!);
    return true;
  }

  /** Whether a call with this id was made and has no result yet. */
  isOpen(id: string | undefined): boolean {
    return id !== undefined && this.calls.has(id);
  }

  /**
   * Attaches a result linked by tool name only, to the oldest call of that name
   * not yet answered. That call is closed under its id too: a trace's tool span
   * without an id is followed by the next prompt's tool message with one.
   */
  resultByName(name: string, output: string): boolean {
    const pending = this.unanswered.get(name);
    if (!pending || pending.length === 0) return false;
    const call = pending.shift()!;
    this.append(this.turns[call.turn], resultText(name, output));
    if (call.id) this.calls.delete(call.id);
    return true;
  }

  private answered(name: string, id: string): void {
    const pending = this.unanswered.get(name);
    const at = pending?.findIndex((call) => call.id === id) ?? -1;
    if (at !== -1) pending!.splice(at, 1);
  }
}
