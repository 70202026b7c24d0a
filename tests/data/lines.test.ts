import { describe, expect, it } from 'vitest';
import { lines, type Line } from '../../src/data/lines';
import { stringSource } from '../../src/data/rawSource';

async function collect(chunks: readonly string[]): Promise<Line[]> {
  const out: Line[] = [];
  async function* gen() {
    yield* chunks;
  }
  for await (const line of lines(gen())) out.push(line);
  return out;
}

async function collectText(text: string, chunkSize: number): Promise<Line[]> {
  const out: Line[] = [];
  for await (const line of lines(stringSource('t', text, chunkSize).chunks())) out.push(line);
  return out;
}

describe('lines', () => {
  const text = '\uFEFFa,b\r\nccc\n\r\nd\r\nlast';
  const expected: Line[] = [
    { line: 1, text: 'a,b' },
    { line: 2, text: 'ccc' },
    { line: 3, text: '' },
    { line: 4, text: 'd' },
    { line: 5, text: 'last' },
  ];

  it('gives the same lines whatever the chunk size (boundaries inside \\r\\n and after the BOM)', async () => {
    for (let size = 1; size <= text.length + 1; size++) expect(await collectText(text, size)).toEqual(expected);
  });

  it('splits a \\r\\n across chunks without producing an extra line', async () => {
    expect(await collect(['a\r', '\nb\r', '\n'])).toEqual([
      { line: 1, text: 'a' },
      { line: 2, text: 'b' },
    ]);
  });

  it('keeps a final line without a newline, and adds none after a final newline', async () => {
    expect(await collect(['x\ny'])).toEqual([
      { line: 1, text: 'x' },
      { line: 2, text: 'y' },
    ]);
    expect(await collect(['x\n'])).toEqual([{ line: 1, text: 'x' }]);
  });

  it('strips a BOM only at the very start, even after empty chunks', async () => {
    expect(await collect(['', '\uFEFF', 'id\n\uFEFFx'])).toEqual([
      { line: 1, text: 'id' },
      { line: 2, text: '\uFEFFx' },
    ]);
  });

  it('yields nothing for empty input', async () => {
    expect(await collect([])).toEqual([]);
    expect(await collect(['', ''])).toEqual([]);
  });
});
