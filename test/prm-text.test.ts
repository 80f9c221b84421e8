import { describe, expect, it } from 'vitest';
import { cutMiddle, prmMinChars, prmText, type PrmParts } from '../src/episodes/prm-text.js';
import { seededRandom } from './support/random.js';

const lengthOf = (row: { prompt: string; completions: string[] }) => row.completions.reduce((sum, step) => sum + step.length + 1, row.prompt.length);

describe('cutMiddle', () => {
  it('keeps start and end around […], within the limit, and short texts as they are', () => {
    expect(cutMiddle('abcdefghij', 10)).toBe('abcdefghij');
    expect(cutMiddle('abcdefghij', 7)).toBe('ab[…]ij');
    expect(cutMiddle('abcdefghij', 8)).toBe('abc[…]ij');
    expect(cutMiddle('abcdefghij', 2)).toBe('[…]');
    for (let limit = 3; limit < 40; limit++) expect(cutMiddle('x'.repeat(50), limit)).toHaveLength(limit);
  });

  it('never splits a surrogate pair', () => {
    const text = '😀'.repeat(20);
    for (let limit = 3; limit < 30; limit++) {
      const cut = cutMiddle(text, limit);
      expect(cut.length).toBeLessThanOrEqual(limit);
      expect(cut.replace('[…]', '')).toMatch(/^(😀)*$/u);
    }
  });
});

describe('prmText', () => {
  const parts = (random: () => number): PrmParts => {
    const text = () => 'w'.repeat(Math.floor(random() * 600));
    return {
      header: ['You are a.', `task ${text()}`],
      context: Array.from({ length: Math.floor(random() * 12) }, (_, k) => ({ speaker: `s${k % 3}`, content: text() })),
      steps: Array.from({ length: 1 + Math.floor(random() * 6) }, () => [
        ...Array.from({ length: Math.floor(random() * 3) }, () => ({ speaker: 'b', content: text() })),
        { speaker: 'a', content: `${text()}END` },
      ]),
    };
  };

  it('a row that fits is the plain rendering: one line per message, [speaker] content', () => {
    const row = prmText({ header: ['You are a.', 'the task'], context: [{ speaker: 'b', content: 'hi' }], steps: [[{ speaker: 'a', content: 'go' }], [{ speaker: 'b', content: 'ok' }, { speaker: 'a', content: 'done' }]] }, 1000);
    expect(row).toEqual({ prompt: 'You are a.\nthe task\n[b] hi\n', completions: ['[a] go', '[b] ok\n[a] done'] });
  });

  it('within the budget: oldest prompt messages first, then long messages cut; every step still ends with the agent’s last words (property, seeded)', () => {
    const random = seededRandom(11);
    let cutRows = 0;
    for (let trial = 0; trial < 300; trial++) {
      const row = parts(random);
      const budget = 200 + Math.floor(random() * 3000);
      const whole = prmText(row);
      const fitted = prmText(row, budget)!;
      expect(fitted.completions).toHaveLength(row.steps.length);
      if (lengthOf(whole) <= budget) {
        expect(fitted).toEqual(whole);
        continue;
      }
      cutRows++;
      expect(lengthOf(fitted)).toBeLessThanOrEqual(budget);
      expect(fitted.prompt.startsWith('You are a.\n')).toBe(true);
      fitted.completions.forEach((step, k) => {
        // The last line is the agent's message, cut or not: what follows […] is the end of what it said.
        const last = step.slice(step.lastIndexOf('\n') + 1);
        expect(last.startsWith('[a] ')).toBe(true);
        const said = row.steps[k].at(-1)!.content;
        const cut = last.slice(4);
        expect(cut.includes('[…]') ? said.endsWith(cut.slice(cut.indexOf('[…]') + 3)) : cut === said).toBe(true);
      });
      // The prompt keeps its latest messages: what it shows of the context is a suffix of it.
      const shown = fitted.prompt.split('\n').filter((text) => /^\[s\d\]/.test(text)).length;
      const dropped = /\[… (\d+) earlier messages? left out\]/.exec(fitted.prompt);
      expect(shown + (dropped ? Number(dropped[1]) : 0)).toBe(row.context.length);
    }
    expect(cutRows).toBeGreaterThan(100);
  });

  it('every budget from the shortest the row can be fits exactly; a budget below it gives null, never a longer row (property, seeded)', () => {
    const random = seededRandom(5);
    for (let trial = 0; trial < 200; trial++) {
      const row = parts(random);
      const shortest = prmMinChars(row);
      expect(prmText(row, shortest - 1)).toBeNull();
      for (const budget of [shortest, shortest + 1, shortest + Math.floor(random() * 400)]) {
        const fitted = prmText(row, budget);
        expect(fitted).not.toBeNull();
        expect(lengthOf(fitted!)).toBeLessThanOrEqual(budget);
      }
    }
  });

  it('a few short prompt messages kept whole can be shorter than the line that counts them left out', () => {
    const row: PrmParts = { header: ['You are a.'], context: [{ speaker: 'b', content: 'hi' }], steps: [[{ speaker: 'a', content: 'x'.repeat(100) }]] };
    const shortest = prmMinChars(row);
    expect(shortest).toBe('You are a.\n[b] hi\n'.length + '[a] […]'.length + 1);
    expect(prmText(row, shortest)).toEqual({ prompt: 'You are a.\n[b] hi\n', completions: ['[a] […]'] });
  });
});
