import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, invalidUtf8Offset, readChunks, recordTexts, type RecordChunk } from '../src/cli/records.js';
import { seededRandom } from './support/random.js';
import { tempDir } from './support/temp-dir.js';

describe('UTF-8 checks of records', () => {
  it('invalidUtf8Offset agrees with a strict TextDecoder on random bytes, and points at the first bad byte', () => {
    const strict = new TextDecoder('utf-8', { fatal: true });
    const valid = (bytes: Uint8Array) => {
      try {
        strict.decode(bytes);
        return true;
      } catch {
        return false;
      }
    };
    const random = seededRandom(8);
    // Mostly valid text with a few raw bytes mixed in: overlongs, surrogates, cut sequences, bytes beyond U+10FFFF.
    const pieces = ['a', 'é', '漢', '😀', '\u07ff', '\ud7ff', '\ue000', '\u{10ffff}'].map((text) => new TextEncoder().encode(text));
    const raw = [0x80, 0xbf, 0xc0, 0xc1, 0xe0, 0xed, 0xf0, 0xf4, 0xf5, 0xff, 0xa0, 0x90, 0x8f];
    for (let trial = 0; trial < 5_000; trial++) {
      const parts: number[] = [];
      for (let k = 0; k < 6; k++) {
        if (random() < 0.25) parts.push(raw[Math.floor(random() * raw.length)]);
        else parts.push(...pieces[Math.floor(random() * pieces.length)]);
      }
      const bytes = Uint8Array.from(parts);
      const offset = invalidUtf8Offset(bytes);
      expect(offset === -1, Array.from(bytes).join(' ')).toBe(valid(bytes));
      if (offset >= 0) expect(valid(bytes.subarray(0, offset))).toBe(true);
    }
  });

  it('decodeUtf8 drops a byte order mark and names the offset of bytes that are not UTF-8', () => {
    expect(decodeUtf8(Uint8Array.of(0xef, 0xbb, 0xbf, 0x7b, 0x7d))).toEqual({ text: '{}' });
    expect(decodeUtf8(Uint8Array.of(0x61, 0x62, 0xe9, 0x63))).toEqual({ unreadable: 'not valid UTF-8: bytes e9 63 at byte 2; save the file as UTF-8' });
  });

  it('decodeUtf8 names UTF-16 by its byte order mark, as Windows tools write it', () => {
    const utf16le = Uint8Array.from([0xff, 0xfe, ...Buffer.from('{}', 'utf16le')]);
    const utf16be = Uint8Array.from([0xfe, 0xff, ...Buffer.from('{}', 'utf16le').swap16()]);
    expect(decodeUtf8(utf16le)).toEqual({ unreadable: 'not UTF-8 but UTF-16: it starts with the byte order mark ff fe, UTF-16 little-endian; save the file as UTF-8' });
    expect(decodeUtf8(utf16be)).toEqual({ unreadable: 'not UTF-8 but UTF-16: it starts with the byte order mark fe ff, UTF-16 big-endian; save the file as UTF-8' });
  });
});

describe('reading records out of files', () => {
  const chunksOf = async (file: string, kind: 'json' | 'jsonl') => {
    const chunks: RecordChunk[] = [];
    for await (const chunk of readChunks(file, kind, () => {})) chunks.push(chunk);
    return chunks;
  };

  it('reads a line far longer than a chunk in time linear in its length, with the lines after it numbered', async () => {
    // Joining each 256 KiB read onto the part of the line read so far copied it again every time: a 48 MiB line
    // took half a minute, a 60 MiB transcript over a minute.
    const file = join(tempDir('agent-credit-records-'), 'long.jsonl');
    const long = `{"text":"${'x'.repeat(48 << 20)}"}`;
    writeFileSync(file, `{"n":1}\n${long}\n\n{"n":4}\n{"n":5}`);
    const started = performance.now();
    const records = (await chunksOf(file, 'jsonl')).flatMap(recordTexts);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(records.map((record) => [record.source.line, record.text.length])).toEqual([[1, 7], [2, long.length], [4, 7], [5, 7]]);
  }, 20_000);

  it('an empty .json file, or one of white space only, holds no record (as an empty .jsonl file)', async () => {
    const dir = tempDir('agent-credit-records-');
    for (const [name, text] of [['empty.json', ''], ['blank.json', ' \r\n\t\n'], ['bom.json', '\ufeff\n']]) {
      writeFileSync(join(dir, name), text);
      expect((await chunksOf(join(dir, name), 'json')).flatMap(recordTexts), name).toEqual([]);
    }
  });
});
