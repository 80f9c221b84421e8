// <ac-transcript>: the episode's messages with each one's reward, the judge's
// label and reason, the first error highlighted, corrective messages and
// repairs marked. Content is untrusted text: set as text, isolated for bidi,
// wrapped anywhere, and long content folded (unfolded in bounded chunks, so
// even a megabyte-long message never costs one long layout).
import { defineElement, el, styled, untrusted } from './dom.js';
import { divergingColour, divergingRgb, extentOf, formatValue, textColourOn } from './format.js';
import { messagesOf, type EpisodeLike, type MessageJudgement, type ShownMessage, type Signals } from './sources.js';
import { ComponentElement } from './element.js';
import { foldedText } from './folded-text.js';
import { checked, episodeIssues, judgementsIssues, signalsIssues } from './property-checks.js';

const CSS = `
ol { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.5rem; }
.message { border: 1px solid #d1d5db; border-inline-start: 4px solid #d1d5db; border-radius: 6px; padding: 0.5rem 0.75rem; min-width: 0; background: #fff; }
.message.first-error { border-color: rgb(185, 28, 28); background: #fef2f2; }
.message.corrective { border-inline-start-color: #6d28d9; }
.message.context { background: #f9fafb; }
.head { display: flex; flex-wrap: wrap; gap: 0.25rem 0.5rem; align-items: baseline; font-size: 0.875em; }
.index { color: #4b5563; font-variant-numeric: tabular-nums; }
.agent { font-weight: 600; overflow-wrap: anywhere; min-width: 0; }
.chip { border-radius: 999px; padding: 0 0.5rem; font-size: 0.8125em; border: 1px solid #9ca3af; white-space: nowrap; }
.chip.first-error { background: rgb(185, 28, 28); color: #fff; border-color: rgb(185, 28, 28); font-weight: 700; }
.chip.corrective { background: #6d28d9; color: #fff; border-color: #6d28d9; }
.chip.reward { font-variant-numeric: tabular-nums; border-color: transparent; }
.content { white-space: pre-wrap; overflow-wrap: anywhere; unicode-bidi: isolate; margin: 0.35rem 0 0; }
.reason { margin: 0.3rem 0 0; font-size: 0.875em; color: #374151; overflow-wrap: anywhere; }
.repair { margin-top: 0.5rem; padding: 0.4rem 0.6rem; border: 1px dashed #15703d; border-radius: 6px; }
.repair-title { display: block; font-size: 0.8125em; color: #15703d; }
button { font: inherit; font-size: 0.8125em; margin-top: 0.3rem; color: #1d4ed8; background: none; border: 1px solid #1d4ed8; border-radius: 4px; padding: 0.1rem 0.5rem; cursor: pointer; }
.task { margin: 0 0 0.5rem; overflow-wrap: anywhere; }
`;

const TAG = 'ac-transcript';

/** `<ac-transcript>`: the messages with reward, label, the judge's reason, the first error highlighted. Set `episode`, `signals` and optionally `judgements`. */
export class TranscriptElement extends ComponentElement {
  protected readonly css = CSS;
  #episode: EpisodeLike | null = null;
  #signals: Signals | null = null;
  #judgements: MessageJudgement[] | null = null;

  /** The episode (validated or as a record): messages, task, repairs. */
  get episode(): EpisodeLike | null {
    return this.#episode;
  }
  /** The episode (validated or as a record): messages, task, repairs. */
  set episode(value: EpisodeLike | null) {
    this.#episode = checked(TAG, 'episode', value, episodeIssues, null);
    this.requestRender();
  }

  /** The episode's Signals: each message's reward and the first error. */
  get signals(): Signals | null {
    return this.#signals;
  }
  /** The episode's Signals: each message's reward and the first error. */
  set signals(value: Signals | null) {
    this.#signals = checked(TAG, 'signals', value, signalsIssues, null);
    this.requestRender();
  }

  /** A judge's verdicts (label, score, reason per message id), shown beside each message. */
  get judgements(): MessageJudgement[] | null {
    return this.#judgements;
  }
  /** A judge's verdicts (label, score, reason per message id), shown beside each message. */
  set judgements(value: MessageJudgement[] | null) {
    this.#judgements = checked(TAG, 'judgements', value, judgementsIssues, null);
    this.requestRender();
  }

  protected render(): Node[] {
    const messages = messagesOf(this.#episode, this.#signals);
    if (!messages.length) return [el('p', { class: 'empty' }, 'No messages to show.')];
    const firstError = this.#signals?.firstError ?? null;
    const agents = this.#signals ? new Set(this.#signals.agents.map((a) => a.agent)) : null;
    const verdicts = new Map((this.#judgements ?? []).map((j) => [j.message, j]));
    const repairs = this.#episode?.repairs ?? [];
    const extent = extentOf(messages.map((m) => m.reward ?? 0)) || 1;

    const item = (message: ShownMessage) => {
      const isFirstError = firstError?.id === message.id;
      const isContext = agents !== null && !agents.has(message.agent);
      const verdict = verdicts.get(message.id);
      const label = verdict?.label ?? message.label;
      const reward = message.reward === null
        ? null
        : styled(el('span', { class: 'chip reward', title: `reward ${formatValue(message.reward, true)}` }, `reward ${formatValue(message.reward, true)}`), {
            background: divergingColour(message.reward, extent),
            color: textColourOn(divergingRgb(message.reward, extent)),
          });
      const classes = ['message', isFirstError && 'first-error', label === 'corrective' && 'corrective', isContext && 'context'].filter(Boolean).join(' ');
      return el(
        'li',
        { class: classes, 'data-testid': 'message-row', 'data-id': message.id, 'data-index': message.index, 'data-reward': message.reward === null ? '' : String(message.reward) },
        el(
          'div',
          { class: 'head' },
          el('span', { class: 'index' }, `#${message.index}`),
          el('span', { class: 'agent' }, untrusted(message.agent)),
          isContext ? el('span', { class: 'chip' }, 'context') : null,
          isFirstError ? el('strong', { class: 'chip first-error', 'data-testid': 'first-error' }, `first error (${firstError!.strategy})`) : null,
          label === 'corrective' ? el('span', { class: 'chip corrective' }, 'corrective') : label ? el('span', { class: 'chip' }, label) : null,
          reward,
        ),
        ...(message.content === null ? [] : foldedText(message.content)),
        verdict?.reason ? el('p', { class: 'reason' }, 'Judge: ', untrusted(verdict.reason)) : null,
        ...repairs.filter((r) => r.message === message.id).map((r) => el('aside', { class: 'repair', 'aria-label': `Repair of message #${message.index}` }, el('strong', { class: 'repair-title' }, 'Repair'), ...foldedText(r.content))),
      );
    };
    const task = this.#episode?.task;
    const list = el('ol', { class: 'messages', 'aria-label': 'Messages' }, ...messages.map(item));
    return task ? [el('p', { class: 'task' }, el('strong', {}, 'Task: '), untrusted(task)), list] : [list];
  }
}

defineElement(TAG, TranscriptElement);

declare global {
  interface HTMLElementTagNameMap {
    'ac-transcript': TranscriptElement;
  }
}
