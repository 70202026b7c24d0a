/**
 * Validates untrusted snapshot data: schema first, then the references between tables.
 * Failures name the field path and the value at fault, so a producer can find the bad row.
 */
import { snapshotSchema, type Snapshot } from './snapshot';
import { manifestSchema, type Manifest } from './snapshotManifest';

export interface SnapshotFault {
  /** e.g. users[3].events[0].action */
  readonly path: string;
  /** A short, printable preview of the offending value. */
  readonly value: string;
  readonly message: string;
}

export type SnapshotValidation = { ok: true; snapshot: Snapshot } | { ok: false; fault: SnapshotFault };

export function validateSnapshot(data: unknown): SnapshotValidation {
  const parsed = snapshotSchema.safeParse(data);
  if (!parsed.success) return { ok: false, fault: schemaFault(data, parsed.error.issues[0]) };
  const fault = referentialFault(parsed.data);
  return fault ? { ok: false, fault } : { ok: true, snapshot: parsed.data };
}

export type ManifestValidation = { ok: true; manifest: Manifest } | { ok: false; fault: SnapshotFault };

/** The manifest only: its tables are checked as they are read (data/parquetSnapshotReader.ts). */
export function validateManifest(data: unknown): ManifestValidation {
  const parsed = manifestSchema.safeParse(data);
  if (!parsed.success) return { ok: false, fault: schemaFault(data, parsed.error.issues[0]) };
  const roleIds = new Set<string>();
  for (const [r, role] of parsed.data.roleTaxonomy.entries()) {
    if (roleIds.has(role.id)) return { ok: false, fault: fault(`roleTaxonomy[${r}].id`, role.id, 'duplicate role id') };
    roleIds.add(role.id);
  }
  return { ok: true, manifest: parsed.data };
}

function schemaFault(data: unknown, issue: { path: PropertyKey[]; message: string } | undefined): SnapshotFault {
  const path = issue?.path ?? [];
  return { path: formatPath(path), value: previewValue(valueAt(data, path)), message: issue?.message ?? 'invalid snapshot' };
}

function referentialFault(snapshot: Snapshot): SnapshotFault | null {
  const itemIds = new Set<string>();
  for (const [i, item] of snapshot.items.entries()) {
    if (itemIds.has(item.id)) return fault(`items[${i}].id`, item.id, 'duplicate item id');
    itemIds.add(item.id);
  }
  const userIds = new Set<string>();
  for (const [u, user] of snapshot.users.entries()) {
    if (userIds.has(user.id)) return fault(`users[${u}].id`, user.id, 'duplicate user id');
    userIds.add(user.id);
    for (const [e, event] of user.events.entries()) {
      if (!itemIds.has(event.item)) return fault(`users[${u}].events[${e}].item`, event.item, 'unknown item id (not in items)');
    }
    for (const [kind, day] of [['target', user.target], ['validation', user.validation]] as const) {
      for (const [t, item] of (day?.items ?? []).entries()) {
        if (!itemIds.has(item)) return fault(`users[${u}].${kind}.items[${t}]`, item, 'unknown item id (not in items)');
      }
    }
  }
  const roleIds = new Set(snapshot.roleTaxonomy.map((r) => r.id));
  for (const [r, reasoning] of (snapshot.reasoning ?? []).entries()) {
    if (!userIds.has(reasoning.user)) return fault(`reasoning[${r}].user`, reasoning.user, 'unknown user id (not in users)');
    for (const [e, role] of reasoning.roles.entries()) {
      if (!roleIds.has(role.role)) return fault(`reasoning[${r}].roles[${e}].role`, role.role, 'role not in roleTaxonomy');
    }
    for (const [c, candidate] of reasoning.candidates.entries()) {
      if (!itemIds.has(candidate.item)) return fault(`reasoning[${r}].candidates[${c}].item`, candidate.item, 'unknown item id (not in items)');
    }
  }
  for (const [p, set] of (snapshot.predictions ?? []).entries()) {
    for (const [l, list] of set.lists.entries()) {
      if (!userIds.has(list.user)) return fault(`predictions[${p}].lists[${l}].user`, list.user, 'unknown user id (not in users)');
      if (list.items.length !== list.scores.length) {
        return fault(`predictions[${p}].lists[${l}].scores`, `${list.scores.length} scores`, `expected ${list.items.length} scores, one per item`);
      }
      for (const [i, item] of list.items.entries()) {
        if (!itemIds.has(item)) return fault(`predictions[${p}].lists[${l}].items[${i}]`, item, 'unknown item id (not in items)');
      }
    }
  }
  return null;
}

function fault(path: string, value: string, message: string): SnapshotFault {
  return { path, value: previewValue(value), message };
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = data;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

const PREVIEW_LIMIT = 120;

export function previewValue(value: unknown): string {
  let text: string;
  if (value === undefined) text = '(missing)';
  else if (typeof value === 'string') text = JSON.stringify(value);
  else if (Array.isArray(value)) text = `array of ${value.length}`;
  else if (value !== null && typeof value === 'object') text = `object with keys ${Object.keys(value).slice(0, 8).join(', ')}`;
  else text = String(value);
  return text.length > PREVIEW_LIMIT ? `${text.slice(0, PREVIEW_LIMIT)}…` : text;
}
