// The conversation as a timeline: each message with its agent, its reward as
// a colour and a number, the first error and corrective attempts marked, and
// a repair, when the episode has one, beside the message it repairs.
import { h } from './dom.js';
import { divergingColour, formatNumber, symmetricExtent, textOn } from './format.js';
import type { EpisodeView, TimelineMessage } from './protocol.js';

/** Messages longer than this start folded, with a button to unfold them. */
const FOLD_CHARACTERS = 600;

function messageContent(message: TimelineMessage): HTMLElement {
  const text = h('p', { class: 'content' }, message.content);
  if (message.content.length <= FOLD_CHARACTERS) return text;
  text.classList.add('folded');
  const toggle = h('button', { type: 'button', class: 'link-button', 'aria-expanded': 'false' }, 'Show all');
  toggle.addEventListener('click', () => {
    const folded = text.classList.toggle('folded');
    toggle.textContent = folded ? 'Show all' : 'Show less';
    toggle.setAttribute('aria-expanded', String(!folded));
  });
  return h('div', {}, text, toggle);
}

function rewardBadge(reward: number | null, extent: number): HTMLElement {
  if (reward === null) return h('span', { class: 'reward none' }, 'no reward');
  return h(
    'span',
    { class: 'reward', style: `background: ${divergingColour(reward, extent)}; color: ${textOn(reward, extent)}`, title: `reward ${reward}` },
    formatNumber(reward, 3),
  );
}

function messageRow(episode: EpisodeView, message: TimelineMessage, extent: number): HTMLElement {
  const isFirstError = episode.firstError?.index === message.index;
  const repairs = episode.repairs.filter((r) => r.message === message.id);
  const marks = [
    isFirstError
      ? h('strong', { class: 'mark first-error-mark', 'data-testid': 'first-error' }, `First error · found by ${episode.firstError!.strategy}`)
      : null,
    message.corrective ? h('span', { class: 'mark corrective-mark' }, 'Corrective attempt') : null,
    message.label && !(isFirstError && message.label === 'error') && !message.corrective ? h('span', { class: 'mark label' }, message.label) : null,
  ];
  const body = h(
    'div',
    { class: 'message-body' },
    h(
      'div',
      { class: 'message-head' },
      h('span', { class: 'index' }, `#${message.index}`),
      h('span', { class: 'agent' }, message.agent),
      ...marks,
      rewardBadge(message.reward, extent),
    ),
    messageContent(message),
  );
  const repairBoxes = repairs.map((repair) =>
    h('aside', { class: 'repair', 'aria-label': `Repair of message ${message.id}` }, h('h4', {}, 'Repair'), h('p', { class: 'content' }, repair.content)),
  );
  const classes = ['message', isFirstError ? 'first-error' : '', message.corrective ? 'corrective' : '', repairBoxes.length ? 'has-repair' : '']
    .filter(Boolean)
    .join(' ');
  return h(
    'li',
    {
      class: classes,
      id: `message-${message.index}`,
      'data-testid': 'message-row',
      'data-id': message.id,
      'data-reward': message.reward === null ? '' : String(message.reward),
      style: message.reward === null ? undefined : `--reward-colour: ${divergingColour(message.reward, extent)}`,
    },
    body,
    ...repairBoxes,
  );
}

/** A strip of one coloured cell per message: the episode's rewards at a glance, each a link to its message. */
function rewardStrip(episode: EpisodeView, extent: number): HTMLElement {
  return h(
    'nav',
    { class: 'reward-strip', 'aria-label': 'Rewards by message' },
    ...episode.messages.map((message) => {
      const isFirstError = episode.firstError?.index === message.index;
      return h(
        'a',
        {
          href: `#message-${message.index}`,
          class: isFirstError ? 'first-error' : message.corrective ? 'corrective' : undefined,
          style: `background: ${message.reward === null ? '#e5e7eb' : divergingColour(message.reward, extent)}`,
          title: `#${message.index} ${message.agent}: ${message.reward === null ? 'no reward' : formatNumber(message.reward, 3)}`,
        },
        h('span', { class: 'visually-hidden' }, `Message ${message.index} by ${message.agent}`),
      );
    }),
  );
}

export function timeline(episode: EpisodeView): HTMLElement {
  const extent = symmetricExtent(episode.messages.map((m) => m.reward ?? 0));
  return h(
    'div',
    { class: 'timeline' },
    rewardStrip(episode, extent),
    h('ol', { class: 'messages' }, ...episode.messages.map((message) => messageRow(episode, message, extent))),
  );
}
