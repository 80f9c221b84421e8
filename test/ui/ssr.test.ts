// agent-credit/ui imported where there is no DOM (server-side rendering, Node):
// the import succeeds and defines nothing; the classes are there to reference.
import { describe, expect, it } from 'vitest';

describe('agent-credit/ui without a DOM', () => {
  it('imports without touching the DOM', async () => {
    expect(typeof (globalThis as { HTMLElement?: unknown }).HTMLElement).toBe('undefined');
    expect(typeof (globalThis as { customElements?: unknown }).customElements).toBe('undefined');
    const ui = await import('../../dist/ui.js');
    expect(Object.keys(ui).sort()).toEqual(['CreditBarsElement', 'CreditWaterfallElement', 'DatasetOverviewElement', 'InteractionHeatmapElement', 'RewardTimelineElement', 'TranscriptElement', 'foldedText', 'summarize']);
    for (const constructor of Object.values(ui)) expect(typeof constructor).toBe('function');
  });
});
