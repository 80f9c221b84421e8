// The readable report of `agent-credit attribute --format summary` and
// `agent-credit summary`: a two-line legend, then one block per episode
// (credit, strongest interaction, first error, message rewards, preferences).
// Lines wrap between items at a fixed width, so names are never cut and the
// report is the same on a terminal, in a pipe and in a file; names come from
// transcripts and are shown through terminalText.
import type { Signals } from '../episodes/attribute.js';
import { terminalText } from '../core/terminal-text.js';

/** What the numbers mean, printed once above the episodes. */
export const REPORT_LEGEND =
  "credit: each agent's Shapley share of v(whole team) - v(no agent), the shares adding up to it; rewards, after each message's id: in a success its share of its agent's credit, in a failure repair-aware (the first error most negative), not a split of credit\n" +
  "first error found by: label = labelled error or harmful, or scored below -0.5; prefixValue = the judge's success estimate fell by more than 0.3; binarySearch = the isRecoverable oracle\n";

const WIDTH = 100;
const FIELD = 13;

const signed = (x: number): string => (x >= 0 ? '+' : '') + x.toFixed(2);
const counted = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** `name  item   item   item`, wrapped between items onto lines indented under the first item. */
function field(name: string, items: string[], separator = '   '): string[] {
  const indent = ' '.repeat(2 + FIELD);
  const lines: string[] = [];
  let line = `  ${name.padEnd(FIELD)}`;
  let empty = true;
  for (const item of items) {
    if (!empty && line.length + separator.length + item.length > WIDTH) {
      lines.push(line);
      line = indent;
      empty = true;
    }
    line += (empty ? '' : separator) + item;
    empty = false;
  }
  lines.push(line);
  return lines;
}

function strongestPair(signals: Signals): string | null {
  const matrix = signals.interactions;
  if (!matrix) return null;
  let best = { i: 0, j: 0, value: 0 };
  for (let i = 0; i < matrix.length; i++) {
    for (let j = i + 1; j < matrix[i].length; j++) if (Math.abs(matrix[i][j]) > Math.abs(best.value)) best = { i, j, value: matrix[i][j] };
  }
  if (Math.abs(best.value) < 1e-9) return null;
  const names = `${terminalText(signals.agents[best.i].agent)} + ${terminalText(signals.agents[best.j].agent)}`;
  return `${best.value > 0 ? 'synergy' : 'redundancy'} ${names} (${signed(best.value)})`;
}

/** One episode's block, ending with a newline. */
export function episodeReport(signals: Signals): string {
  const lines = [`${terminalText(signals.id)}  ${signals.success ? 'SUCCESS' : 'FAILURE'}`];
  const credited = signals.agents.filter((agent) => agent.credit !== null).sort((a, b) => b.credit! - a.credit!);
  if (credited.length > 0) {
    const credit = (agent: Signals['agents'][number]) => `${terminalText(agent.agent)} ${signed(agent.credit!)}${agent.stderr ? ` ±${agent.stderr.toFixed(2)}` : ''}`;
    lines.push(...field('credit', credited.map(credit)));
  } else {
    lines.push(...field('credit', ['none (no coalition values)']));
  }
  // A judged or re-run v(team) is what the credits split; beside the recorded score, its gap is the calibration to check.
  const team = signals.sources?.team;
  if (team && team.source !== 'given') {
    const gap = team.value - team.outcomeScore;
    lines.push(...field('v(team)', [`${team.value.toFixed(2)} ${team.source}, outcome.score ${team.outcomeScore.toFixed(2)} (gap ${signed(gap)})`]));
  }
  const pair = strongestPair(signals);
  if (pair) lines.push(...field('interaction', [pair]));
  if (signals.firstError) {
    const { id, index, agent, strategy } = signals.firstError;
    lines.push(...field('first error', [`message ${terminalText(id)} (#${index}) by ${terminalText(agent)}, found by ${strategy}`]));
  }
  if (signals.messages.length > 0) lines.push(...field('rewards', signals.messages.map((m) => `${terminalText(m.id)}: ${terminalText(m.agent)} ${signed(m.reward)}`), ' | '));
  if (signals.preferences.length > 0) {
    const pairs = signals.preferences.filter((preference) => preference.type === 'pair').length;
    const unpaired = signals.preferences.length - pairs;
    lines.push(...field('preferences', [`${counted(pairs, 'DPO pair', 'DPO pairs')}, ${counted(unpaired, 'unpaired KTO row', 'unpaired KTO rows')}`]));
  }
  return lines.join('\n') + '\n';
}

/** The text that follows the legend for one episode: a blank line, then its block. */
export function reportEntry(signals: Signals): string {
  return '\n' + episodeReport(signals);
}
