import { describe, expect, it } from 'vitest';
import type { EpisodeMessage } from '../src/episodes/episode.js';
import { annotatedFirstError, findFirstError, firstLabelledError, firstValueDrop, searchFirstError } from '../src/episodes/first-error.js';
import { seededRandom } from './support/episodes.js';
import { attributeEpisode } from '../src/episodes/attribute.js';

const messages = (specs: Array<Partial<EpisodeMessage>>): EpisodeMessage[] =>
  specs.map((spec, m) => ({ id: `m${m}`, agent: m % 2 ? 'coder' : 'planner', content: '', ...spec }));

describe('first error by labels and scores', () => {
  it('finds the first error/harmful label or score below the threshold', () => {
    expect(firstLabelledError(messages([{}, { label: 'neutral' }, { label: 'harmful' }, { label: 'error' }]))).toBe(2);
    expect(firstLabelledError(messages([{}, { score: -0.4 }, { score: -0.7 }]))).toBe(2);
    expect(firstLabelledError(messages([{}, { score: -0.4 }]), -0.3)).toBe(1);
    expect(firstLabelledError(messages([{ label: 'redundant' }, {}]))).toBe(-1);
  });

  it('finds the first drop in prefixValue larger than the threshold, skipping messages without one', () => {
    expect(firstValueDrop(messages([{ prefixValue: 0.8 }, { prefixValue: 0.7 }, {}, { prefixValue: 0.3 }]))).toBe(3);
    expect(firstValueDrop(messages([{ prefixValue: 0.8 }, { prefixValue: 0.6 }]))).toBe(-1);
    expect(firstValueDrop(messages([{ prefixValue: 0.8 }, { prefixValue: 0.6 }]), 0.1)).toBe(1);
  });

  it('says which strategy found it: label first, then prefixValue', () => {
    expect(annotatedFirstError(messages([{ prefixValue: 0.9 }, { prefixValue: 0.2 }, { label: 'error' }]))).toEqual({ id: 'm2', index: 2, agent: 'planner', strategy: 'label' });
    expect(annotatedFirstError(messages([{ prefixValue: 0.9 }, { prefixValue: 0.2 }]))).toEqual({ id: 'm1', index: 1, agent: 'coder', strategy: 'prefixValue' });
    expect(annotatedFirstError(messages([{ prefixValue: 0.9 }, { prefixValue: 0.2 }, { label: 'error' }]), { strategy: 'prefixValue' })?.index).toBe(1);
    expect(annotatedFirstError(messages([{}, {}]))).toBeNull();
  });
});

describe('first error by binary search', () => {
  function oracleFor(errorIndex: number) {
    const calls: number[] = [];
    // Recoverable while the prefix does not yet include the error.
    const oracle = async (prefixLength: number) => {
      calls.push(prefixLength);
      return errorIndex < 0 || prefixLength <= errorIndex;
    };
    return { oracle, calls };
  }

  it('uses at most ceil(log2 T) + 1 calls and agrees with a linear scan, for every T <= 64 and every error position', async () => {
    for (let length = 1; length <= 64; length++) {
      for (let error = -1; error < length; error++) {
        const { oracle, calls } = oracleFor(error);
        const { index, calls: reported } = await searchFirstError(length, oracle);
        expect(reported).toBe(calls.length);
        expect(calls.length).toBeLessThanOrEqual(Math.ceil(Math.log2(length)) + 1);
        let linear = -1;
        for (let p = 1; p <= length; p++) {
          if (!(await oracleFor(error).oracle(p))) {
            linear = p - 1;
            break;
          }
        }
        expect(index).toBe(linear);
      }
    }
  });

  it('works for long runs with a synchronous oracle', async () => {
    const random = seededRandom(3);
    for (let k = 0; k < 50; k++) {
      const length = 1 + Math.floor(random() * 5000);
      const error = Math.floor(random() * length);
      let calls = 0;
      const result = await searchFirstError(length, (p) => (calls++, p <= error));
      expect(result).toEqual({ index: error, calls });
      expect(calls).toBeLessThanOrEqual(Math.ceil(Math.log2(length)) + 1);
    }
  });

  it('reports the strategy and the number of calls; an oracle wins over labels', async () => {
    const run = messages([{}, { label: 'error' }, {}, {}, {}]);
    const found = await findFirstError(run, { isRecoverable: (p) => p <= 3 });
    expect(found).toEqual({ id: 'm3', index: 3, agent: 'coder', strategy: 'binarySearch', oracleCalls: 3 });
    expect(await findFirstError(run, { isRecoverable: () => true })).toBeNull();
    expect((await findFirstError(run, { isRecoverable: () => true, strategy: 'label' }))?.index).toBe(1);
  });

  it('rejects an oracle that fails or does not answer true/false, naming the prefix', async () => {
    const run = messages([{}, {}]);
    await expect(findFirstError(run, { isRecoverable: () => { throw new Error('judge timed out'); } })).rejects.toThrow(/isRecoverable\(2\) failed: judge timed out/);
    await expect(findFirstError(run, { isRecoverable: () => 'yes' as unknown as boolean })).rejects.toThrow(/isRecoverable\(2\): expected true or false, got "yes"$/);
    await expect(findFirstError(run, { isRecoverable: () => Object.create(null) })).rejects.toThrow(/isRecoverable\(2\): expected true or false, got object$/);
    await expect(findFirstError(run, { strategy: 'binarySearch' })).rejects.toThrow(/needs an isRecoverable/);
  });

  it('an oracle that never answers fails after timeoutMs, naming the prefix, instead of hanging the run', async () => {
    const silent = () => new Promise<boolean>(() => {});
    await expect(searchFirstError(8, silent, undefined, { timeoutMs: 20 })).rejects.toThrow(/^isRecoverable\(8\) failed: no answer within timeoutMs = 20 ms$/);
    await expect(findFirstError(messages([{}, {}, {}]), { isRecoverable: silent, timeoutMs: 20 })).rejects.toThrow(/isRecoverable\(3\) failed: no answer within timeoutMs = 20 ms/);
    const failed = { id: 'lost', task: 't', agents: ['planner', 'coder'], messages: messages([{}, {}, {}, {}]), outcome: { score: 0, success: false } };
    await expect(attributeEpisode(failed, { isRecoverable: silent, timeoutMs: 20 })).rejects.toThrow(/isRecoverable\(4\) failed: no answer within timeoutMs = 20 ms/);
    // An answer in time is used as before.
    expect(await searchFirstError(8, (p) => Promise.resolve(p < 5), undefined, { timeoutMs: 1_000 })).toEqual({ index: 4, calls: 4 });
    await expect(searchFirstError(8, silent, undefined, { timeoutMs: -1 })).rejects.toThrow(/options\.timeoutMs: expected a finite number of ms > 0, got -1/);
  });
});

describe('first error: arguments a caller without types can pass', () => {
  it('findFirstError names a misspelled option or strategy, a bad threshold and bad messages instead of running the defaults', async () => {
    const run = messages([{}, { label: 'error' }]);
    await expect(findFirstError(run, { strategy: 'labels' as never })).rejects.toThrow(/findFirstError: options\.strategy: expected 'label', 'prefixValue' or 'binarySearch', got "labels"/);
    await expect(findFirstError(run, { scoreTreshold: -0.2 } as never)).rejects.toThrow(/options\.scoreTreshold: unknown option \(did you mean scoreThreshold\?\)/);
    await expect(findFirstError(run, { scoreThreshold: 'x' as never })).rejects.toThrow(/options\.scoreThreshold: expected a finite number, got "x"/);
    await expect(findFirstError(run, { dropThreshold: NaN })).rejects.toThrow(/options\.dropThreshold: expected a finite number, got NaN/);
    await expect(findFirstError(run, { isRecoverable: true as never })).rejects.toThrow(/options\.isRecoverable: expected isRecoverable\(prefixLength\) as a function, got true/);
    await expect(findFirstError(run, { players: 'b' as never })).rejects.toThrow(/options\.players: expected the players' names as an array, got "b"/);
    await expect(findFirstError(null as never)).rejects.toThrow(/findFirstError: messages: expected an array of messages, got null/);
    await expect(findFirstError(messages([{ prefixValue: 5 }]))).rejects.toThrow(/messages\[0\]\.prefixValue: expected the success probability after this message in \[0, 1\], got 5/);
    expect(await findFirstError(run, null as never)).toMatchObject({ index: 1, strategy: 'label' });
  });

  it('searchFirstError refuses a length or candidates that are no message indices instead of answering with one', async () => {
    const oracle = (p: number) => p < 2;
    for (const length of [-1, 2.5, NaN, Infinity, '3']) {
      await expect(searchFirstError(length as number, oracle)).rejects.toThrow(/^searchFirstError: length: expected a number of messages, an integer >= 0, got /);
    }
    await expect(searchFirstError(3, null as never)).rejects.toThrow(/searchFirstError: oracle: expected isRecoverable\(prefixLength\) as a function, got null/);
    await expect(searchFirstError(3, oracle, [2, 0, 1])).rejects.toThrow(/candidates\[1\]: expected ascending message indices, integers from 0 to 2, got 0 after 2/);
    await expect(searchFirstError(3, oracle, [0, 3])).rejects.toThrow(/candidates\[1\]: expected ascending message indices/);
    await expect(searchFirstError(3, oracle, undefined, { timeout: 5 } as never)).rejects.toThrow(/options\.timeout: unknown option \(did you mean timeoutMs\?\)/);
    expect(await searchFirstError(3, oracle, [0, 2])).toEqual({ index: 2, calls: 2 });
  });
});

