// Prints a readable summary of signals files written by `agent-credit attribute`
// (one JSON line per episode): credit, strongest pair, message rewards, first
// error, preferences. Usage: node examples/summarize.js signals.jsonl [...]
import { readFileSync } from 'node:fs';

const signed = (x) => (x >= 0 ? '+' : '') + x.toFixed(2);
const short = (text, width) => (text.length > width ? text.slice(0, width - 1) + '…' : text);

function strongestPair(signals) {
  if (!signals.interactions) return null;
  let best = null;
  signals.interactions.forEach((row, i) =>
    row.forEach((value, j) => {
      if (j > i && (!best || Math.abs(value) > Math.abs(best.value))) best = { i, j, value };
    }),
  );
  if (!best || Math.abs(best.value) < 1e-9) return null;
  const names = `${signals.agents[best.i].agent} + ${signals.agents[best.j].agent}`;
  return `${best.value > 0 ? 'synergy' : 'redundancy'} ${names} (${signed(best.value)})`;
}

function summarize(signals) {
  const lines = [`${signals.id}  ${signals.success ? 'SUCCESS' : 'FAILURE'}`];
  const credited = signals.agents.filter((agent) => agent.credit !== null).sort((a, b) => b.credit - a.credit);
  if (credited.length) lines.push(`  credit       ${credited.map((agent) => `${agent.agent} ${signed(agent.credit)}`).join('   ')}`);
  const pair = strongestPair(signals);
  if (pair) lines.push(`  interaction  ${pair}`);
  if (signals.firstError) {
    const { id, index, agent, strategy } = signals.firstError;
    lines.push(`  first error  message ${id} (#${index}) by ${agent}, found by ${strategy}`);
  }
  lines.push(`  rewards      ${signals.messages.map((message) => `${short(message.agent, 14)} ${signed(message.reward)}`).join(' | ')}`);
  const pairs = signals.preferences.filter((p) => p.type === 'pair').length;
  const unpaired = signals.preferences.length - pairs;
  if (signals.preferences.length) lines.push(`  preferences  ${pairs} DPO pair(s), ${unpaired} unpaired KTO row(s)`);
  return lines.join('\n');
}

for (const file of process.argv.slice(2)) {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim()) console.log(summarize(JSON.parse(line)) + '\n');
  }
}
