import { describe, expect, it } from 'vitest';
import { detectFormat, isRecordList } from '../../demo/src/formats.js';

const episode = { id: 'e', agents: ['a'], messages: [{ agent: 'a', content: 'hi' }], outcome: { score: 1, success: true } };

describe('detectFormat', () => {
  it('tells each input format the CLI reads from its shape', () => {
    expect(detectFormat(episode)).toBe('episode');
    expect(detectFormat([episode, episode])).toBe('episode');
    expect(detectFormat({ players: ['a'], values: [0, 1] })).toBe('table');
    expect(detectFormat({ question: 'q', history: [{ role: 'Orchestrator (thought)', content: 'x' }], mistake_step: '0' })).toBe('whowhen');
    expect(detectFormat([{ role: 'user', content: 'x' }, { role: 'assistant', name: 'coder', content: 'y' }])).toBe('openai');
    expect(detectFormat({ messages: [{ role: 'user', content: 'x' }], outcome: { score: 1, success: true } })).toBe('openai');
    expect(detectFormat({ chat_history: [{ role: 'user', name: 'planner', content: 'x' }] })).toBe('ag2');
    expect(detectFormat({ messages: [{ source: 'user', content: 'x', type: 'TextMessage' }], stop_reason: 'done' })).toBe('autogen');
    expect(detectFormat([{ type: 'human', content: 'x' }, { type: 'ai', content: 'y', name: 'coder' }])).toBe('langchain');
    expect(detectFormat({ messages: [{ lc: 1, type: 'constructor', id: ['langchain', 'AIMessage'], kwargs: { content: 'x' } }] })).toBe('langchain');
    expect(detectFormat({ messages: [{ type: 'ai', data: { content: 'x' } }] })).toBe('langchain');
  });

  it('returns null for what fits no format', () => {
    expect(detectFormat(null)).toBeNull();
    expect(detectFormat(3)).toBeNull();
    expect(detectFormat({ hello: 'world' })).toBeNull();
    expect(detectFormat([])).toBeNull();
    expect(detectFormat({ messages: [1, 2] })).toBeNull();
  });
});

describe('isRecordList', () => {
  it('is true for arrays of episodes, logs or tables, false for transcripts', () => {
    expect(isRecordList([episode, episode])).toBe(true);
    expect(isRecordList([{ players: ['a'], values: [0, 1] }])).toBe(true);
    expect(isRecordList([{ role: 'user', content: 'x' }])).toBe(false);
    expect(isRecordList(episode)).toBe(false);
  });
});
