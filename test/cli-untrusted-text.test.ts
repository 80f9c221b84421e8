// What transcripts say reaches stderr as text: names, ids, keys, file names
// and replies with newlines, escape sequences or bidi controls in them are
// shown as \uXXXX, so they can neither forge a line, clear or recolour the
// terminal, nor reverse what follows them; letters of every script are kept.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, root } from './support/cli.js';
import { tempDir } from './support/temp-dir.js';

const flights = JSON.parse(readFileSync(join(root, 'examples/episodes/03-book-flights.json'), 'utf8'));
/** Every character terminalText escapes, but the newline that ends or continues a message. */
const UNSAFE_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const FORGED = 'a\nattribute: 999 episodes';

function write(dir: string, name: string, records: unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, records.map((record) => (typeof record === 'string' ? record : JSON.stringify(record))).join('\n') + '\n');
  return path;
}

describe('untrusted text on stderr', () => {
  it('escape sequences, C1 controls and bidi controls in ids, keys and file names are shown as \\uXXXX', async () => {
    const dir = tempDir('agent-credit-untrusted-');
    const inputs = join(dir, 'in');
    mkdirSync(inputs);
    const unknownAgent = { ...flights, id: 'ep\u001b[2J\u009b31m\u202eid', messages: [{ ...flights.messages[0], agent: 'critic\u202e' }, ...flights.messages.slice(1)] };
    const extraKey = { ...flights, id: 'extra', ['meta\u001b]0;title\u0007\u2067']: 1 };
    write(inputs, 'evil\u202Eexe.txt.jsonl', [unknownAgent, extraKey, '{broken\u001b[2J']);
    const { code, stderr } = await cli('attribute', inputs, '--skip-invalid', '-o', join(dir, 'out.jsonl'));
    expect(code).toBe(0);
    expect(stderr).not.toMatch(UNSAFE_BUT_NEWLINE);
    expect(stderr).toContain('evil\\u202eexe.txt.jsonl line 1, episode "ep\\u001b[2J\\u009b31m\\u202eid"');
    expect(stderr).toContain('unknown agent "critic\\u202e"');
    expect(stderr).toContain('meta\\u001b]0;title\\u0007\\u2067');
    expect(stderr.split('\n').filter(Boolean)).toHaveLength(4);

    // The error that stops a run, as main prints it.
    const stopped = await cli('attribute', join(inputs, 'evil\u202Eexe.txt.jsonl'));
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).not.toMatch(UNSAFE_BUT_NEWLINE);
    expect(stopped.stderr).toContain('/evil\\u202eexe.txt.jsonl line 1, episode "ep\\u001b[2J\\u009b31m\\u202eid"');
  });

  it('a newline in a file name, an agent name or a key cannot forge a line; names in every script stay readable', async () => {
    const dir = tempDir('agent-credit-untrusted-');
    const inputs = join(dir, 'in');
    mkdirSync(inputs);
    const [planner, booking, verifier] = ['编排者', 'وكيل_الحجز', 'מאמת\u200dב'];
    const renamed = JSON.parse(JSON.stringify(flights).replaceAll('"planner"', JSON.stringify(planner)).replaceAll('"booking_agent"', JSON.stringify(booking)).replaceAll('"verifier"', JSON.stringify(verifier)));
    const forgedAgent = { ...renamed, id: 'forged-agent', agents: [...renamed.agents, FORGED], messages: [{ ...renamed.messages[0], agent: 'nobody' }, ...renamed.messages.slice(1)] };
    const forgedKey = { ...renamed, id: 'forged-key', [FORGED]: 1 };
    write(inputs, `${FORGED}.jsonl`, ['{broken', forgedAgent, forgedKey, renamed]);
    const { code, stderr } = await cli('attribute', inputs, '--skip-invalid', '-o', join(dir, 'out.jsonl'));
    expect(code).toBe(0);
    const lines = stderr.split('\n').filter(Boolean);
    // Two skipped records, one warning, the summary line: nothing else starts a line.
    expect(lines.map((line) => line.slice(0, 22))).toEqual(['agent-credit: skipped ', 'agent-credit: skipped ', 'agent-credit: warning:', 'attribute: 2 episodes ']);
    expect(lines[0]).toContain('a\\u000aattribute: 999 episodes.jsonl line 1');
    expect(lines[1]).toContain(`expected one of ${planner}, ${booking}, ${verifier}, a\\u000aattribute: 999 episodes`);
    expect(lines[2]).toContain('ignored a field that episode v1 does not read: a\\u000aattribute: 999 episodes');

    // The summary command names a file of signals rows the same way.
    const signals = write(dir, `${FORGED}.signals.jsonl`, ['{"id": 1}']);
    const summary = await cli('summary', signals);
    expect(summary.code).toBe(1);
    expect(summary.stderr.split('\n').filter(Boolean).every((line) => line.startsWith('agent-credit: ') || line.startsWith('  '))).toBe(true);
    expect(summary.stderr).toContain('a\\u000aattribute: 999 episodes.signals.jsonl line 1');
  });
});
