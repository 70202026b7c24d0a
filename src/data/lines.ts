/** Splits a stream of text chunks into lines; chunk boundaries may fall anywhere (inside "\r\n" too). */

export interface Line {
  /** 1-based, as an editor shows it, so error messages can point at the file. */
  readonly line: number;
  readonly text: string;
}

export async function* lines(chunks: AsyncIterable<string>): AsyncGenerator<Line> {
  let pending = '';
  let line = 0;
  let atStart = true;
  for await (const chunk of chunks) {
    let text = chunk;
    if (atStart && text.length > 0) {
      // A BOM would otherwise end up glued to the first header name or id.
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      atStart = false;
    }
    pending += text;
    let start = 0;
    let newline = pending.indexOf('\n', start);
    while (newline !== -1) {
      yield { line: ++line, text: stripCr(pending.slice(start, newline)) };
      start = newline + 1;
      newline = pending.indexOf('\n', start);
    }
    pending = pending.slice(start);
  }
  // A last line without a newline is still a line (a cut-off row must be reported, not lost).
  if (pending.length > 0) yield { line: ++line, text: stripCr(pending) };
}

function stripCr(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}
