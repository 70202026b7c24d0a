/**
 * Item <-> semantic ID, and the prefix trie beam search walks so it only ever generates SIDs of real items.
 */
export const SID_LEVELS = 4;
export type Sid = readonly [number, number, number, number];

export interface SidTable {
  readonly items: readonly string[];
  readonly sidOf: ReadonlyMap<string, Sid>;
  /** "c1,c2,c3,c4" -> item */
  readonly itemOf: ReadonlyMap<string, string>;
  readonly trie: SidTrie;
}

/** children[level] maps a prefix key (codes joined by ',') to the valid next codes. */
export interface SidTrie {
  readonly children: readonly ReadonlyMap<string, readonly number[]>[];
}

export function sidKey(codes: readonly number[]): string {
  return codes.join(',');
}

/** Parses sids.tsv: header `item_id c1 c2 c3 c4`, tab-separated. Errors name the file and line. */
export function parseSidTable(text: string, source: string, vocab: readonly number[]): SidTable {
  const lines = text.split('\n');
  const header = lines[0]?.replace(/\r$/, '').split('\t');
  if (header?.join(',') !== 'item_id,c1,c2,c3,c4') throw new Error(`${source}:1: expected header item_id c1 c2 c3 c4`);
  const items: string[] = [];
  const sidOf = new Map<string, Sid>();
  const itemOf = new Map<string, string>();
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index]!.replace(/\r$/, '');
    if (line === '') continue;
    const [item, ...rest] = line.split('\t');
    const codes = rest.map(Number);
    if (!item || codes.length !== SID_LEVELS || codes.some((c, l) => !Number.isInteger(c) || c < 0 || c >= (vocab[l] ?? 0))) {
      throw new Error(`${source}:${index + 1}: expected an item id and ${SID_LEVELS} codes within the vocabulary, got "${line.slice(0, 80)}"`);
    }
    const sid = codes as unknown as Sid;
    const key = sidKey(sid);
    if (itemOf.has(key)) throw new Error(`${source}:${index + 1}: SID ${key} is used by ${itemOf.get(key)} and ${item}`);
    items.push(item);
    sidOf.set(item, sid);
    itemOf.set(key, item);
  }
  return { items, sidOf, itemOf, trie: buildTrie(sidOf.values()) };
}

function buildTrie(sids: Iterable<Sid>): SidTrie {
  const sets = Array.from({ length: SID_LEVELS }, () => new Map<string, Set<number>>());
  for (const sid of sids) {
    for (let level = 0; level < SID_LEVELS; level++) {
      const key = sidKey(sid.slice(0, level));
      const set = sets[level]!.get(key) ?? new Set<number>();
      set.add(sid[level]!);
      sets[level]!.set(key, set);
    }
  }
  return { children: sets.map((m) => new Map([...m].map(([k, s]) => [k, [...s].sort((a, b) => a - b)]))) };
}
