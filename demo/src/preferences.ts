// Preference data as it will be exported: DPO pairs (chosen beside rejected)
// and unpaired KTO rows, each with its exact JSONL row on demand.
import { foldedText } from 'agent-credit/ui';
import { h } from './dom.js';
import type { PreferenceRows } from './protocol.js';

type Turn = { role?: unknown; name?: unknown; content?: unknown };

/** Conversational fields are lists of turns; standard ones are plain strings. */
function turns(value: unknown): Turn[] {
  if (Array.isArray(value)) return value as Turn[];
  return [{ content: value }];
}

function turnView(turn: Turn): HTMLElement {
  const who = [turn.name, turn.role].filter((part): part is string => typeof part === 'string' && part !== '');
  return h(
    'div',
    { class: 'turn' },
    // Agent names are untrusted: each isolated for bidi.
    who.length ? h('span', { class: 'who' }, ...who.flatMap((part, k) => (k ? [' · ', h('bdi', {}, part)] : [h('bdi', {}, part)]))) : null,
    ...foldedText(typeof turn.content === 'string' ? turn.content : JSON.stringify(turn.content)),
  );
}

function promptView(value: unknown): HTMLElement {
  const list = turns(value);
  return h(
    'details',
    { class: 'prompt' },
    h('summary', {}, `Prompt: ${list.length} ${list.length === 1 ? 'turn' : 'turns'} of context`),
    ...list.map(turnView),
  );
}

function rawRow(row: unknown): HTMLElement {
  return h('details', { class: 'raw' }, h('summary', {}, 'Exported row (JSON)'), ...foldedText(JSON.stringify(row, null, 2), 'pre', 'row'));
}

function dpoCard(row: Record<string, unknown>): HTMLElement {
  return h(
    'li',
    { class: 'preference dpo' },
    h('h4', {}, 'DPO pair'),
    promptView(row.prompt),
    h(
      'div',
      { class: 'pair' },
      h('div', { class: 'chosen' }, h('h5', {}, 'Chosen'), ...turns(row.chosen).map(turnView)),
      h('div', { class: 'rejected' }, h('h5', {}, 'Rejected'), ...turns(row.rejected).map(turnView)),
    ),
    rawRow(row),
  );
}

function ktoCard(row: Record<string, unknown>): HTMLElement {
  const desirable = row.label === true;
  return h(
    'li',
    { class: `preference kto ${desirable ? 'chosen' : 'rejected'}` },
    h('h4', {}, `KTO row · label ${String(row.label)} (${desirable ? 'desirable' : 'undesirable'})`),
    promptView(row.prompt),
    h('div', { class: 'completion' }, ...turns(row.completion).map(turnView)),
    rawRow(row),
  );
}

export function preferenceList(preferences: PreferenceRows): HTMLElement {
  if (!preferences.length) {
    return h('p', { class: 'muted' }, 'No preference data: the episode has no repairs, and no first error to set corrective attempts against.');
  }
  return h(
    'ol',
    { class: 'preferences' },
    ...preferences.map(({ kind, row }) =>
      kind === 'dpo' ? dpoCard(row as Record<string, unknown>) : ktoCard(row as Record<string, unknown>),
    ),
  );
}

/** Loads an episode's preference rows from the worker; null while a run is still going, 'lost' when the worker holding them was stopped. */
export type PreferenceLoader = (index: number) => Promise<PreferenceRows | null | 'lost'>;

/** The preference section: its row count, and the rows themselves on demand (they are the bulk of a large run's data). */
export function preferenceSection(index: number, count: number, load: PreferenceLoader): HTMLElement {
  if (!count) return preferenceList([]);
  const slot = h('div', {});
  const button = h('button', { type: 'button', 'data-testid': 'show-preferences' }, `Show the ${count} preference ${count === 1 ? 'row' : 'rows'}`);
  const note = h('p', { class: 'hint', 'aria-live': 'polite' });
  button.addEventListener('click', async () => {
    const rows = await load(index);
    if (rows === null) {
      note.textContent = 'The run is still going: show them once it is done.';
      return;
    }
    if (rows === 'lost') {
      note.textContent = 'These rows were lost when the run was cancelled: press Run to attribute the input again.';
      return;
    }
    slot.replaceChildren(preferenceList(rows));
  });
  slot.append(button, note);
  return slot;
}
