import { describe, expect, it } from 'vitest';
import { splitQuoted } from '../../src/data/table';

describe('splitQuoted (CSV fields of one line)', () => {
  it('splits plain fields, keeping empty ones', () => {
    expect(splitQuoted('a,,b,', ',')).toEqual(['a', '', 'b', '']);
  });

  it('reads quoted fields with delimiters and doubled quotes', () => {
    expect(splitQuoted('"aqua, inc",x,"say ""hi""",""', ',')).toEqual(['aqua, inc', 'x', 'say "hi"', '']);
  });

  it('rejects an unterminated quote or text after a closing quote', () => {
    expect(splitQuoted('"appliances,aqua', ',')).toBeNull();
    expect(splitQuoted('"a"b,c', ',')).toBeNull();
  });

  it('keeps a quote inside an unquoted field literally', () => {
    expect(splitQuoted('12" tv,b', ',')).toEqual(['12" tv', 'b']);
  });
});
