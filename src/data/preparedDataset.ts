/**
 * The prepared dataset directory: the canonical dataset every later step (snapshot CLI, evaluation, the Python
 * trainer) reads, so none of them re-implements raw parsing or the split. Pure (de)serialisation; the CLI does IO.
 *
 * Files: dataset.json (metadata, stats, read report, attribution), items.tsv, events.tsv, users.tsv, README.md.
 * TSV: one header line, tab-separated, '\n' line ends; in text fields `\` `\t` `\n` `\r` are escaped as
 * `\\` `\t` `\n` `\r`, and in the categories column a '>' inside a category name as `\>`.
 */
import { z } from 'zod';
import { ACTIONS, dayFromIso, dayOf, isAction, isoDay, type CanonicalEvent, type ItemAttributes } from '../domain/events';
import { SEGMENTS, type DormantRule } from '../domain/segment';
import type { UserSplit } from '../domain/split';
import { SPLIT_DESCRIPTION, assembleUser, datasetStats, type Dataset, type DatasetUser } from './dataset';
import { lines } from './lines';
import { DatasetFormatError, MALFORMED_REASONS, type MalformedReport } from './malformed';
import type { RawReadResult } from './rawResult';
import { stringSource, type RawSource } from './rawSource';
import type { FileSummary } from './table';

export const PREPARED_SCHEMA_ID = 'rolegen.prepared-dataset';
export const PREPARED_VERSION = 1;

export const PREPARED_FILES = {
  meta: 'dataset.json',
  items: 'items.tsv',
  events: 'events.tsv',
  users: 'users.tsv',
  readme: 'README.md',
} as const;
export type PreparedFileName = (typeof PREPARED_FILES)[keyof typeof PREPARED_FILES];

/**
 * Where an event sits relative to its user's split, so a trainer selects rows instead of re-deriving days.
 * Training = `train`; validation input = `train` (targets: buys of `validation-day`);
 * test input = `train` + `validation-day` + `pre-target` (targets: buys of `target-day`); `after-target` is never used.
 */
export const EVENT_PARTS = ['train', 'validation-day', 'pre-target', 'target-day', 'after-target'] as const;
export type EventPart = (typeof EVENT_PARTS)[number];

export const EVENT_PART_DESCRIPTIONS: Readonly<Record<EventPart, string>> = {
  train: 'before the validation day (before the target day without one; every event of a user who never buys): the only events training may see',
  'validation-day': 'on the validation day (the previous purchase day); its buys are the validation targets',
  'pre-target': 'after the validation day and before the target day: test input, not training',
  'target-day': 'on the target day (the last purchase day); its buys are the test targets; never an input',
  'after-target': 'after the target day (non-purchase events after the last purchase); never used',
};

export const ITEMS_COLUMNS = ['item_id', 'categories', 'brand', 'price', 'title'] as const;
export const EVENTS_COLUMNS = ['user_id', 'item_id', 'action', 'time', 'day', 'seq', 'part'] as const;
export const USERS_COLUMNS = [
  'user_id',
  'segment',
  'events',
  'train_events',
  'history_events',
  'history_purchases',
  'purchase_rate',
  'target_day',
  'target_items',
  'validation_day',
  'validation_items',
] as const;

const count = z.number().int().min(0);
const segmentStatsSchema = z.object({
  users: count,
  withTarget: count,
  usableTargets: count,
  targetItems: count,
  seenTargetItems: count,
  newTargetItems: count,
});
const attributionSchema = z.object({ source: z.string(), terms: z.string(), text: z.string() });

export const preparedMetaSchema = z.object({
  schema: z.literal(PREPARED_SCHEMA_ID),
  version: z.literal(PREPARED_VERSION),
  name: z.string().min(1),
  format: z.string().min(1),
  /** The --input path as given. */
  source: z.string(),
  resolution: z.enum(['day', 'second']),
  dormantRule: z.object({ minNonPurchaseEvents: count, maxPurchaseRate: z.number().min(0).max(1) }),
  split: z.object({ kind: z.literal('last-purchase-day'), description: z.string() }),
  parts: z.record(z.enum(EVENT_PARTS), z.string()),
  stats: segmentStatsSchema.extend({
    items: count,
    events: count,
    eventsByAction: z.record(z.enum(ACTIONS), count),
    withValidation: count,
    segments: z.record(z.enum(SEGMENTS), segmentStatsSchema),
    firstDay: z.string().nullable(),
    lastDay: z.string().nullable(),
  }),
  read: z.object({
    files: z.array(z.object({ file: z.string(), rows: count, malformed: count, skipped: count })),
    rows: count,
    malformed: z.object({
      total: count,
      byReason: z.partialRecord(z.enum(MALFORMED_REASONS), count),
      samples: z.array(
        z.object({ file: z.string(), line: count, reason: z.enum(MALFORMED_REASONS), detail: z.string(), text: z.string() }),
      ),
    }),
    skipped: z.record(z.string(), count),
    notes: z.array(z.string()),
  }),
  attribution: attributionSchema.nullable(),
  command: z.string().optional(),
});
export type PreparedMeta = z.infer<typeof preparedMetaSchema>;
export type Attribution = z.infer<typeof attributionSchema>;

/** What the read step knew that the dataset does not carry. */
export interface PreparedSourceInfo {
  /** Dataset name, e.g. the input folder's name. */
  readonly name: string;
  readonly source: string;
  readonly files: readonly FileSummary[];
  readonly rows: number;
  readonly malformed: MalformedReport;
  readonly skipped: Readonly<Record<string, number>>;
  readonly notes: readonly string[];
  readonly attribution: Attribution | null;
  readonly command?: string;
}

/** The read report of a raw read, plus where it came from: what `preparedMeta` needs besides the dataset. */
export function sourceInfo(
  raw: RawReadResult,
  origin: Pick<PreparedSourceInfo, 'name' | 'source' | 'attribution'> & { readonly command?: string },
): PreparedSourceInfo {
  return { ...origin, files: raw.files, rows: raw.rows, malformed: raw.malformed, skipped: raw.skipped, notes: raw.notes };
}

export function preparedMeta(dataset: Dataset, info: PreparedSourceInfo): PreparedMeta {
  return {
    schema: PREPARED_SCHEMA_ID,
    version: PREPARED_VERSION,
    name: info.name,
    format: dataset.format,
    source: info.source,
    resolution: dataset.resolution,
    dormantRule: { ...dataset.dormantRule },
    split: { kind: 'last-purchase-day', description: SPLIT_DESCRIPTION },
    parts: { ...EVENT_PART_DESCRIPTIONS },
    stats: structuredClone(dataset.stats),
    read: {
      files: info.files.map((f) => ({ ...f })),
      rows: info.rows,
      malformed: structuredClone(info.malformed) as PreparedMeta['read']['malformed'],
      skipped: { ...info.skipped },
      notes: [...info.notes],
    },
    attribution: info.attribution,
    ...(info.command === undefined ? {} : { command: info.command }),
  };
}

/**
 * Attribution from a data folder's SOURCE.md: `source` = its first paragraph, `terms` = the first sentence that
 * mentions terms, `text` = the whole file verbatim (the data's terms ask for it to travel with derived files).
 */
export function attributionFromSourceMd(text: string): Attribution {
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p !== '' && !p.startsWith('#'));
  const sentences = paragraphs.flatMap((p) => p.split(/(?<=[.)])\s+(?=[A-Z(])/));
  return {
    source: paragraphs[0] ?? '',
    terms: sentences.find((s) => /\bterms\b/i.test(s)) ?? '',
    text,
  };
}

export function eventPart(user: DatasetUser, index: number): EventPart {
  if (index < user.split.trainEnd) return 'train';
  const event = user.events[index];
  if (!event) throw new RangeError(`no event ${index} for user ${user.id}`);
  const day = dayOf(event.time);
  const { target, validation } = user.split;
  if (validation && day === validation.day) return 'validation-day';
  if (target && day < target.day) return 'pre-target';
  if (target && day === target.day) return 'target-day';
  return 'after-target';
}

// Writers yield one line at a time (with its '\n'): a big dataset never becomes one string.

export function* itemsTsv(items: readonly ItemAttributes[]): Generator<string> {
  yield row(ITEMS_COLUMNS);
  for (const item of items) {
    yield row([
      escape(item.id),
      (item.categories ?? []).map((c) => escape(c).replaceAll('>', '\\>')).join('>'),
      escape(item.brand ?? ''),
      item.price === undefined ? '' : String(item.price),
      escape(item.title ?? ''),
    ]);
  }
}

export function* eventsTsv(users: readonly DatasetUser[]): Generator<string> {
  yield row(EVENTS_COLUMNS);
  for (const user of users) {
    for (let seq = 0; seq < user.events.length; seq++) {
      const e = user.events[seq] as CanonicalEvent;
      yield row([escape(user.id), escape(e.item), e.action, String(e.time), isoDay(dayOf(e.time)), String(seq), eventPart(user, seq)]);
    }
  }
}

export function* usersTsv(users: readonly DatasetUser[]): Generator<string> {
  yield row(USERS_COLUMNS);
  for (const user of users) {
    const { target, validation } = user.split;
    yield row([
      escape(user.id),
      user.segment,
      String(user.events.length),
      String(user.split.trainEnd),
      String(user.history.events),
      String(user.history.purchases),
      String(user.history.purchaseRate),
      target ? isoDay(target.day) : '',
      (target?.items ?? []).map(escape).join(' '),
      validation ? isoDay(validation.day) : '',
      (validation?.items ?? []).map(escape).join(' '),
    ]);
  }
}

export function preparedReadme(meta: PreparedMeta): string {
  const s = meta.stats;
  const partLines = EVENT_PARTS.map((p) => `  - \`${p}\`: ${meta.parts[p]}`).join('\n');
  return `# Prepared dataset: ${meta.name}

Written by \`npm run prepare\` (RoleGen Workbench) from \`${meta.source}\` (format \`${meta.format}\`, ${meta.resolution} resolution).
${meta.command ? `Command: \`${meta.command}\`\n` : ''}
${s.users} users, ${s.items} items, ${s.events} events (${ACTIONS.map((a) => `${s.eventsByAction[a]} ${a}`).join(', ')}); ` +
    `${s.segments.dormant.users} dormant users (at least ${meta.dormantRule.minNonPurchaseEvents} non-purchase events and a purchase rate ` +
    `below ${meta.dormantRule.maxPurchaseRate} before the target day); ${s.usableTargets} users with a usable target.
${meta.read.malformed.total} malformed input rows (see dataset.json \`read\`).

## Split

${meta.split.description}

## Files

All TSV files: UTF-8, one header line, tab-separated, \`\\n\` line ends. In text fields a backslash, tab, newline and
carriage return are written \`\\\\\`, \`\\t\`, \`\\n\`, \`\\r\`; ids never contain whitespace. Empty field = unknown.

- \`dataset.json\`: format, source path, resolution, dormant rule, split description, part descriptions, stats,
  the read report (rows per file, malformed rows by reason with file:line samples, skipped known event types, notes)
  and the attribution copied from the input folder's SOURCE.md.
- \`items.tsv\`: ${ITEMS_COLUMNS.join(', ')}. Every item with at least one event. \`categories\`: category path,
  coarse to fine, joined with \`>\` (a \`>\` inside a name is written \`\\>\`); \`price\` a decimal number.
- \`events.tsv\`: ${EVENTS_COLUMNS.join(', ')}. Sorted by user (same order as users.tsv), then \`seq\`, the 0-based
  index in the user's time order (same-time events keep file order, which means nothing within a day at day
  resolution). \`action\` is click, fav, cart or buy; \`time\` unix seconds UTC (00:00 of the day at day
  resolution); \`day\` YYYY-MM-DD (UTC). \`part\`:
${partLines}
- \`users.tsv\`: ${USERS_COLUMNS.join(', ')}. \`train_events\` = number of \`train\` events (they are seq
  0..train_events-1); \`history_events\` = test input length (seq 0..history_events-1, the events before the target
  day) and \`history_purchases\`, \`purchase_rate\`, \`segment\` (dormant | active | short) are computed on it;
  \`target_items\` / \`validation_items\` are the distinct items bought that day, space-separated (empty: no target).

To train: take the rows of events.tsv with \`part == "train"\`. To evaluate: input = the first \`history_events\` events of a
user, targets = \`target_items\`; report dormant users (segment) and seen/new targets (target item in the input or not)
separately.

\`\`\`python
import csv
def unescape(s):  # inverse of the escaping above
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\\\" and i + 1 < len(s):
            out.append({"t": "\\t", "n": "\\n", "r": "\\r"}.get(s[i + 1], s[i + 1])); i += 2
        else:
            out.append(s[i]); i += 1
    return "".join(out)
events = list(csv.DictReader(open("events.tsv", newline=""), delimiter="\\t", quoting=csv.QUOTE_NONE))
train = [e for e in events if e["part"] == "train"]
\`\`\`

## Attribution

${meta.attribution ? meta.attribution.text.trim() : 'No SOURCE.md was found next to the input: add the data\'s attribution before sharing anything derived from it.'}
`;
}

/** All files as strings: fine for the sample sets and tests; the CLI streams the generators instead. */
export function serializePreparedDataset(dataset: Dataset, info: PreparedSourceInfo): Record<PreparedFileName, string> {
  const meta = preparedMeta(dataset, info);
  return {
    'dataset.json': `${JSON.stringify(meta, null, 2)}\n`,
    'items.tsv': [...itemsTsv(dataset.items)].join(''),
    'events.tsv': [...eventsTsv(dataset.users)].join(''),
    'users.tsv': [...usersTsv(dataset.users)].join(''),
    'README.md': preparedReadme(meta),
  };
}

export interface PreparedDataset {
  readonly meta: PreparedMeta;
  /** Rebuilt with the same code that built it (split, segment, stats), and checked against users.tsv and `part`. */
  readonly dataset: Dataset;
}

export type PreparedInput = Record<Exclude<PreparedFileName, 'README.md'>, RawSource | string>;

/** Reads a prepared directory back; each file given as its text or as a streaming source (named for errors). */
export async function readPreparedDataset(input: PreparedInput): Promise<PreparedDataset> {
  const source = (name: keyof PreparedInput): RawSource => {
    const value = input[name];
    return typeof value === 'string' ? stringSource(name, value) : value;
  };
  const meta = await readMeta(source('dataset.json'));
  const rule: DormantRule = meta.dormantRule;

  const items: ItemAttributes[] = [];
  await readTsv(source('items.tsv'), ITEMS_COLUMNS, (f, at) => {
    const [id = '', categories = '', brand = '', price = '', title = ''] = f;
    const item: { -readonly [K in keyof ItemAttributes]: ItemAttributes[K] } = { id: unescape(id) };
    if (categories !== '') item.categories = splitCategories(categories);
    if (brand !== '') item.brand = unescape(brand);
    if (price !== '') item.price = finite(price, at);
    if (title !== '') item.title = unescape(title);
    items.push(item);
  });

  const eventsByUser = new Map<string, { events: CanonicalEvent[]; parts: EventPart[] }>();
  await readTsv(source('events.tsv'), EVENTS_COLUMNS, (f, at) => {
    const [userField = '', item = '', action = '', time = '', day = '', seq = '', part = ''] = f;
    const user = unescape(userField);
    if (!isAction(action)) throw at.error(`unknown action "${action}"`);
    if (!(EVENT_PARTS as readonly string[]).includes(part)) throw at.error(`unknown part "${part}"`);
    const t = finite(time, at);
    if (isoDay(dayOf(t)) !== day) throw at.error(`day ${day} does not match time ${time}`);
    let entry = eventsByUser.get(user);
    if (!entry) {
      entry = { events: [], parts: [] };
      eventsByUser.set(user, entry);
    }
    if (Number(seq) !== entry.events.length) throw at.error(`seq ${seq} out of order for user ${user}`);
    entry.events.push({ user, item: unescape(item), action, time: t });
    entry.parts.push(part as EventPart);
  });

  const users: DatasetUser[] = [];
  await readTsv(source('users.tsv'), USERS_COLUMNS, (f, at) => {
    const [id = '', segment = '', events = '', , , , , targetDay = '', , validationDay = ''] = f;
    const userId = unescape(id);
    const entry = eventsByUser.get(userId);
    if (!entry) throw at.error(`user ${userId} has no events`);
    eventsByUser.delete(userId);
    const user = assembleUser(userId, entry.events, rule);
    // Rebuilding with the current code and comparing catches a directory from a different split or rule.
    if (user.events.length !== Number(events) || user.segment !== segment || !sameDay(user.split, 'target', targetDay) ||
        !sameDay(user.split, 'validation', validationDay) || entry.parts.some((p, i) => eventPart(user, i) !== p)) {
      throw at.error(`user ${userId} does not match its events (split or segment differ)`);
    }
    users.push(user);
  });
  const orphan = eventsByUser.keys().next();
  if (!orphan.done) throw new DatasetFormatError(PREPARED_FILES.events, `user ${orphan.value} is not in ${PREPARED_FILES.users}`);

  const dataset: Dataset = {
    format: meta.format,
    resolution: meta.resolution,
    dormantRule: rule,
    items,
    users,
    stats: datasetStats(users, items.length),
  };
  return { meta, dataset };
}

async function readMeta(source: RawSource): Promise<PreparedMeta> {
  let text = '';
  for await (const chunk of source.chunks()) text += chunk;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DatasetFormatError(source.name, `not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = preparedMetaSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DatasetFormatError(source.name, `not a prepared dataset: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
  }
  return parsed.data;
}

interface At {
  error(message: string): DatasetFormatError;
}

async function readTsv(source: RawSource, columns: readonly string[], onRow: (fields: string[], at: At) => void): Promise<void> {
  let header = true;
  for await (const { line, text } of lines(source.chunks())) {
    const at: At = { error: (message) => new DatasetFormatError(source.name, `line ${line}: ${message}`, line) };
    const fields = text.split('\t');
    if (header) {
      if (fields.join('\t') !== columns.join('\t')) throw at.error(`expected the header "${columns.join('\\t')}"`);
      header = false;
      continue;
    }
    if (text === '') continue;
    if (fields.length !== columns.length) throw at.error(`${fields.length} columns, expected ${columns.length}`);
    onRow(fields, at);
  }
  if (header) throw new DatasetFormatError(source.name, 'empty file (no header)');
}

function sameDay(split: UserSplit, which: 'target' | 'validation', field: string): boolean {
  const day = split[which]?.day;
  return field === '' ? day === undefined : day === dayFromIso(field);
}

function finite(value: string, at: At): number {
  const n = value === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(n)) throw at.error(`bad number "${value}"`);
  return n;
}

function row(fields: readonly string[]): string {
  return `${fields.join('\t')}\n`;
}

function escape(text: string): string {
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
    : text;
}

function unescape(text: string): string {
  return text.includes('\\')
    ? text.replace(/\\(.)/g, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : c))
    : text;
}

/** Splits on '>' not escaped by a backslash, then unescapes each part. */
function splitCategories(field: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < field.length; i++) {
    const c = field[i];
    if (c === '\\' && i + 1 < field.length) {
      current += c + field[i + 1];
      i++;
    } else if (c === '>') {
      parts.push(unescape(current));
      current = '';
    } else current += c;
  }
  parts.push(unescape(current));
  return parts;
}
