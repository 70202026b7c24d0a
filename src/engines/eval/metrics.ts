/** Per-user ranking metrics and list-level beyond-accuracy figures. Full ranking over all items: nothing sampled. */

export interface UserMetrics {
  /** hits in top-k / number of targets, per k */
  readonly recall: readonly number[];
  /** any hit in top-k, per k */
  readonly hr: readonly number[];
  readonly ndcg: readonly number[];
  /** 1 / rank of the first hit within the list, 0 when none. */
  readonly mrr: number;
  /** hsBySidLevel[level][k]: any top-k item shares the first level+1 SID codes with a target. */
  readonly hs: readonly (readonly number[])[];
}

export function userMetrics(
  ranked: readonly string[],
  targets: readonly string[],
  ks: readonly number[],
  sidOf?: (item: string) => readonly number[] | undefined,
  sidLevels = 3,
): UserMetrics {
  const targetSet = new Set(targets);
  const hitRanks: number[] = [];
  ranked.forEach((item, index) => {
    if (targetSet.has(item)) hitRanks.push(index + 1);
  });
  const recall = ks.map((k) => hitRanks.filter((r) => r <= k).length / targetSet.size);
  const hr = ks.map((k) => (hitRanks.some((r) => r <= k) ? 1 : 0));
  const ndcg = ks.map((k) => {
    const dcg = hitRanks.filter((r) => r <= k).reduce((sum, r) => sum + 1 / Math.log2(r + 1), 0);
    let ideal = 0;
    for (let r = 1; r <= Math.min(k, targetSet.size); r++) ideal += 1 / Math.log2(r + 1);
    return ideal === 0 ? 0 : dcg / ideal;
  });
  const mrr = hitRanks.length > 0 ? 1 / hitRanks[0]! : 0;
  const hs = sidOf ? sidPrefixHits(ranked, targets, ks, sidOf, sidLevels) : [];
  return { recall, hr, ndcg, mrr, hs };
}

function sidPrefixHits(
  ranked: readonly string[],
  targets: readonly string[],
  ks: readonly number[],
  sidOf: (item: string) => readonly number[] | undefined,
  levels: number,
): number[][] {
  return Array.from({ length: levels }, (_, level) => {
    const prefixes = new Set(targets.map((t) => sidOf(t)?.slice(0, level + 1).join(',')).filter((p) => p !== undefined));
    return ks.map((k) => (ranked.slice(0, k).some((item) => prefixes.has(sidOf(item)?.slice(0, level + 1).join(',') ?? '')) ? 1 : 0));
  });
}

/** Distinct items over all users' top-k, as a share of the catalogue. */
export function coverage(lists: readonly (readonly string[])[], k: number, catalogueSize: number): number {
  const items = new Set<string>();
  for (const list of lists) for (const item of list.slice(0, k)) items.add(item);
  return catalogueSize === 0 ? 0 : items.size / catalogueSize;
}

/** Mean Shannon entropy (bits) of the intent clusters in each user's top-k: low values = interest collapse. */
export function meanIntentEntropy(lists: readonly (readonly string[])[], k: number, intentOf: (item: string) => number | undefined): number {
  if (lists.length === 0) return 0;
  let total = 0;
  for (const list of lists) {
    total += intentEntropy(list.slice(0, k).map(intentOf).filter((i): i is number => i !== undefined));
  }
  return total / lists.length;
}

/** Shannon entropy (bits) of a list of intent clusters. */
export function intentEntropy(intents: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const intent of intents) counts.set(intent, (counts.get(intent) ?? 0) + 1);
  let entropy = 0;
  for (const c of counts.values()) entropy -= (c / intents.length) * Math.log2(c / intents.length);
  return entropy;
}

/** Share of top-k slots filled with long-tail items (outside the head set). */
export function tailShare(lists: readonly (readonly string[])[], k: number, head: ReadonlySet<string>): number {
  let slots = 0;
  let tail = 0;
  for (const list of lists) {
    for (const item of list.slice(0, k)) {
      slots++;
      if (!head.has(item)) tail++;
    }
  }
  return slots === 0 ? 0 : tail / slots;
}
