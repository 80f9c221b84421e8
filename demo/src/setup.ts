// The setup step for one loaded transcript: its outcome, which speakers are
// agents (the others are context), and a click on a message to mark the first
// error. What the input says is the default; the form says what differs.
import { h, replaceChildren } from './dom.js';
import type { Draft, Setup } from './protocol.js';

export interface SetupForm {
  /** The setup to run with (only what the user set). */
  read(): Setup;
}

const NO_SETUP: SetupForm = { read: () => ({}) };

export function showSetup(container: HTMLElement, draft: Draft | null, onChange: () => void): SetupForm {
  if (!draft) {
    replaceChildren(container, h('p', { class: 'hint' }, 'Several records or a value table: each record runs as it is. Load a single transcript to set its outcome, agents and first error.'));
    return NO_SETUP;
  }
  const outcome = h(
    'select',
    { id: 'setup-outcome', 'data-testid': 'setup-outcome' },
    // The input's outcome is the choice already made; choosing the other one overrides it.
    draft.outcome ? null : h('option', { value: 'input' }, 'not in the input: choose one'),
    h('option', { value: 'success', selected: draft.outcome?.success === true }, draft.outcome?.success === true ? 'success (as in the input)' : 'success'),
    h('option', { value: 'failure', selected: draft.outcome?.success === false }, draft.outcome?.success === false ? 'failure (as in the input)' : 'failure'),
  );
  const score = h('input', { id: 'setup-score', type: 'number', min: '0', max: '1', step: '0.01', value: draft.outcome ? String(draft.outcome.score) : '0', inputmode: 'decimal' });
  const boxes = draft.speakers.map((speaker, k) => {
    const box = h('input', { type: 'checkbox', id: `setup-agent-${k}`, 'data-name': speaker.name, 'data-testid': 'setup-agent' });
    box.checked = speaker.agent;
    return { speaker, box };
  });
  let marked: string | null = null;
  const markStatus = h('p', { class: 'hint', 'data-testid': 'setup-mark', 'aria-live': 'polite' }, 'No message marked: the input’s labels decide.');
  const messageButtons = draft.messages.map((message, index) => {
    const button = h('button', { type: 'button', class: 'mark-message', 'aria-pressed': 'false', 'data-id': message.id }, h('span', { class: 'index' }, `#${index} `), h('bdi', { class: 'agent' }, message.agent), ': ', h('bdi', {}, message.preview));
    button.addEventListener('click', () => {
      marked = marked === message.id ? null : message.id;
      for (const other of messageButtons) other.setAttribute('aria-pressed', String(other.dataset.id === marked));
      markStatus.textContent = marked === null ? 'No message marked: the input’s labels decide.' : `Message #${index} is marked as the first error.`;
      onChange();
    });
    return button;
  });
  for (const control of [outcome, score, ...boxes.map((b) => b.box)]) control.addEventListener('change', onChange);
  replaceChildren(
    container,
    h('p', { class: 'muted', 'data-testid': 'setup-format' }, `Read as ${draft.format}${draft.hasCoalitions ? ', with coalition values' : ''}.`),
    h('div', { class: 'field-row' }, h('label', { class: 'field' }, h('span', {}, 'Outcome'), outcome), h('label', { class: 'field' }, h('span', {}, 'Score v(team)'), score)),
    h(
      'fieldset',
      { class: 'agents' },
      h('legend', {}, 'Agents (unticked speakers are context: kept in the transcript, not rewarded)'),
      ...boxes.map(({ speaker, box }) => h('label', { class: 'check' }, box, ' ', h('bdi', {}, speaker.name), h('span', { class: 'muted' }, ` (${speaker.messages})`))),
    ),
    h('details', { class: 'first-error-picker' }, h('summary', {}, 'Mark the first error'), h('p', { class: 'hint' }, 'Click the message where the run went wrong; click it again to clear the mark.'), h('div', { class: 'mark-list' }, ...messageButtons)),
    markStatus,
  );
  return {
    read() {
      const setup: Setup = {};
      const agents = boxes.filter((b) => b.box.checked).map((b) => b.speaker.name);
      if (boxes.some((b) => b.box.checked !== b.speaker.agent)) setup.agents = agents;
      const value = Math.min(1, Math.max(0, Number(score.value) || 0));
      const success = outcome.value === 'success';
      // Only what differs from the input is sent: an unchanged outcome leaves the input's as it is.
      if (outcome.value !== 'input' && (!draft.outcome || success !== draft.outcome.success || value !== draft.outcome.score)) setup.outcome = { success, score: value };
      if (marked !== null) setup.firstError = marked;
      return setup;
    },
  };
}
