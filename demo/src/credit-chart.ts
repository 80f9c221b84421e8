// Agent credit as horizontal bars around a zero line, with ±1 standard error
// whiskers when the credits were sampled, and the exact numbers beside them.
import { h } from './dom.js';
import { formatNumber } from './format.js';
/** One bar of the playground's chart. */
interface AgentCredit {
  agent: string;
  credit: number;
  /** Standard error when sampled; null when exact. */
  stderr: number | null;
}

/** The value range the bars and whiskers need, always including zero. */
function domainOf(agents: AgentCredit[], reference: number[]): [number, number] {
  let low = 0;
  let high = 0;
  for (const { credit, stderr } of agents) {
    const spread = stderr ?? 0;
    low = Math.min(low, credit - spread);
    high = Math.max(high, credit + spread);
  }
  for (const value of reference) {
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  if (low === high) return [-1, 1];
  return [low, high];
}

export interface CreditChartOptions {
  /** Mark each row as a test hook (the episode view) or not (the playground). */
  testHooks?: boolean;
  /** Known true values, drawn as a tick on each row (the playground's exact values). */
  reference?: number[];
  caption?: string;
}

export function creditChart(agents: AgentCredit[], options: CreditChartOptions = {}): HTMLElement {
  const { testHooks = true, reference = [] } = options;
  const [low, high] = domainOf(agents, reference);
  const percent = (value: number) => `${(((value - low) / (high - low)) * 100).toFixed(3)}%`;
  const zero = percent(0);
  const total = agents.reduce((sum, a) => sum + a.credit, 0);
  const sampled = agents.some((a) => a.stderr !== null);

  const rows = agents.map(({ agent, credit, stderr }, i) => {
    const from = Math.min(0, credit);
    const to = Math.max(0, credit);
    const bar = h('span', {
      class: `bar ${credit < 0 ? 'negative' : 'positive'}`,
      style: `left: ${percent(from)}; width: calc(${percent(to)} - ${percent(from)})`,
    });
    const whisker =
      stderr !== null && stderr > 0
        ? h('span', {
            class: 'whisker',
            style: `left: ${percent(credit - stderr)}; width: calc(${percent(credit + stderr)} - ${percent(credit - stderr)})`,
          })
        : null;
    const tick = i < reference.length ? h('span', { class: 'reference', style: `left: ${percent(reference[i])}` }) : null;
    const spoken = `${agent}: credit ${formatNumber(credit, 4)}${stderr !== null ? `, standard error ${stderr.toFixed(4)}` : ''}`;
    return h(
      'li',
      {
        class: 'credit-row',
        'data-testid': testHooks ? 'agent-credit-row' : undefined,
        'data-agent': agent,
        'data-value': String(credit),
        'aria-label': spoken,
      },
      h('span', { class: 'agent-name', title: agent }, agent),
      h('span', { class: 'track', 'aria-hidden': 'true' }, h('span', { class: 'zero', style: `left: ${zero}` }), bar, whisker, tick),
      h(
        'span',
        { class: 'credit-value' },
        formatNumber(credit, 4),
        stderr !== null ? h('span', { class: 'stderr' }, ` ± ${stderr.toFixed(4)}`) : null,
      ),
    );
  });

  return h(
    'figure',
    { class: 'credit-chart' },
    h('ol', { class: 'credit-rows' }, ...rows),
    h(
      'figcaption',
      {},
      options.caption ??
        `Shapley credit per agent; credits sum to ${formatNumber(total, 4)} (v(team) − v(∅)).` +
          (sampled ? ' Whiskers: ±1 standard error of the sampled estimate.' : ' Exact values.'),
    ),
  );
}
