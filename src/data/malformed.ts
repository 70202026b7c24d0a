/** Malformed-row accounting: every rejected row is counted, the first few are kept with file:line for the user. */

export const MALFORMED_REASONS = [
  'column-count',
  'unknown-behaviour',
  'bad-number',
  'bad-date',
  'empty-id',
  'bad-id',
  'bad-quoting',
  'duplicate-id',
] as const;
export type MalformedReason = (typeof MALFORMED_REASONS)[number];

export interface MalformedSample {
  readonly file: string;
  readonly line: number;
  readonly reason: MalformedReason;
  /** Human-readable, e.g. `unknown behaviour "7"`. */
  readonly detail: string;
  /** The raw line, truncated. */
  readonly text: string;
}

export interface MalformedReport {
  readonly total: number;
  readonly byReason: Partial<Record<MalformedReason, number>>;
  readonly samples: readonly MalformedSample[];
}

export const MAX_SAMPLES = 20;
const MAX_SAMPLE_TEXT = 120;

export class MalformedCollector {
  private total = 0;
  private readonly byReason: Partial<Record<MalformedReason, number>> = {};
  private readonly samples: MalformedSample[] = [];
  /** First sample per file, kept even after MAX_SAMPLES so the "mostly malformed" error can quote it. */
  private readonly firstByFile = new Map<string, MalformedSample>();

  constructor(private readonly maxSamples = MAX_SAMPLES) {}

  add(file: string, line: number, reason: MalformedReason, detail: string, text: string): void {
    this.total++;
    this.byReason[reason] = (this.byReason[reason] ?? 0) + 1;
    const clipped = text.length > MAX_SAMPLE_TEXT ? `${text.slice(0, MAX_SAMPLE_TEXT)}…` : text;
    const sample: MalformedSample = { file, line, reason, detail, text: clipped };
    if (this.samples.length < this.maxSamples) this.samples.push(sample);
    if (!this.firstByFile.has(file)) this.firstByFile.set(file, sample);
  }

  first(file: string): MalformedSample | undefined {
    return this.firstByFile.get(file);
  }

  report(): MalformedReport {
    return { total: this.total, byReason: { ...this.byReason }, samples: [...this.samples] };
  }
}

/** The input cannot be used: missing, empty, mostly malformed, or inconsistent. */
export class DatasetFormatError extends Error {
  override readonly name = 'DatasetFormatError';
  constructor(
    readonly file: string,
    message: string,
    readonly line?: number,
  ) {
    super(`${file}: ${message}`);
  }
}

/**
 * A file where more than half of the data rows are malformed is the wrong file or the wrong format:
 * failing loudly beats evaluating on the few rows that happened to parse.
 */
export function checkFileUsable(file: string, rows: number, malformed: number, first: MalformedSample | undefined): void {
  if (rows === 0) throw new DatasetFormatError(file, 'no data rows (empty file or header only)');
  if (malformed * 2 > rows) {
    const where = first ? ` (first: line ${first.line}: ${first.detail})` : '';
    throw new DatasetFormatError(file, `${malformed} of ${rows} rows are malformed${where}`, first?.line);
  }
}
