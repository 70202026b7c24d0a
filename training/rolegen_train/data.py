"""Reader of a prepared dataset directory (written by `npm run prepare`).

Files: dataset.json, items.tsv, events.tsv, users.tsv. TSV: UTF-8, one header line, tab-separated, `\\n` line
ends, no quoting; in text fields a backslash, tab, newline and carriage return are written `\\\\`, `\\t`, `\\n`,
`\\r`; in the categories column a `>` inside a category name is written `\\>` and names are joined with `>`.
"""
from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass, field

ACTIONS = ["click", "fav", "cart", "buy"]
ACTION_ID = {a: i for i, a in enumerate(ACTIONS)}
DEFAULT_GAP_BOUNDS = [1, 60, 600, 3600, 86400, 172800, 259200, 604800, 2592000]


def unescape(s: str) -> str:
    """Inverse of the prepared format's escaping (same rule as the dataset README)."""
    if "\\" not in s:
        return s
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            out.append({"t": "\t", "n": "\n", "r": "\r"}.get(s[i + 1], s[i + 1]))
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def split_categories(field_text: str) -> list[str]:
    """Splits the raw categories field on '>' not escaped by a backslash, then unescapes each part."""
    if field_text == "":
        return []
    parts, current, i = [], [], 0
    while i < len(field_text):
        c = field_text[i]
        if c == "\\" and i + 1 < len(field_text):
            current.append(field_text[i : i + 2])
            i += 2
            continue
        if c == ">":
            parts.append(unescape("".join(current)))
            current = []
        else:
            current.append(c)
        i += 1
    parts.append(unescape("".join(current)))
    return parts


def read_tsv_raw(path: str) -> list[dict[str, str]]:
    """Rows as dicts of RAW (still escaped) fields; stdlib csv with QUOTE_NONE."""
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def gap_bucket(gap_seconds: float, bounds: list[float]) -> int:
    """Bucket = number of bounds <= gap (the first event of a sequence gets 0, handled by the caller)."""
    b = 0
    for bound in bounds:
        if gap_seconds >= bound:
            b += 1
    return b


@dataclass
class Item:
    id: str
    categories: list[str]
    brand: str
    price: float | None


@dataclass
class Event:
    item: int  # index into Dataset.items
    action: int  # 0 click, 1 fav, 2 cart, 3 buy
    time: int
    part: str
    seq: int = 0


@dataclass
class User:
    id: str
    segment: str
    train_events: int
    history_events: int
    target_items: list[str]
    validation_items: list[str]
    events: list[Event] = field(default_factory=list)

    def train(self) -> list[Event]:
        return [e for e in self.events if e.part == "train"]


@dataclass
class Dataset:
    path: str
    name: str
    meta: dict
    items: list[Item]
    item_index: dict[str, int]
    users: list[User]

    @property
    def attribution(self):
        return self.meta.get("attribution")


def load_dataset(path: str) -> Dataset:
    with open(os.path.join(path, "dataset.json"), encoding="utf-8") as f:
        meta = json.load(f)
    items: list[Item] = []
    for r in read_tsv_raw(os.path.join(path, "items.tsv")):
        price = r.get("price", "")
        items.append(
            Item(
                id=unescape(r["item_id"]),
                categories=split_categories(r.get("categories", "") or ""),
                brand=unescape(r.get("brand", "") or ""),
                price=float(price) if price not in ("", None) else None,
            )
        )
    item_index = {it.id: i for i, it in enumerate(items)}
    users: list[User] = []
    user_index: dict[str, int] = {}
    for r in read_tsv_raw(os.path.join(path, "users.tsv")):
        u = User(
            id=unescape(r["user_id"]),
            segment=r.get("segment", ""),
            train_events=int(r.get("train_events") or 0),
            history_events=int(r.get("history_events") or 0),
            target_items=[unescape(x) for x in (r.get("target_items") or "").split(" ") if x],
            validation_items=[unescape(x) for x in (r.get("validation_items") or "").split(" ") if x],
        )
        user_index[u.id] = len(users)
        users.append(u)
    for r in read_tsv_raw(os.path.join(path, "events.tsv")):
        uid = unescape(r["user_id"])
        iid = unescape(r["item_id"])
        if uid not in user_index:
            raise ValueError(f"events.tsv: unknown user {uid!r}")
        if iid not in item_index:
            raise ValueError(f"events.tsv: unknown item {iid!r}")
        users[user_index[uid]].events.append(
            Event(item=item_index[iid], action=ACTION_ID[r["action"]], time=int(r["time"]), part=r["part"],
                  seq=int(r.get("seq") or 0))
        )
    for u in users:  # events.tsv is sorted by user then seq; make the seq order explicit (stable)
        u.events.sort(key=lambda e: e.seq)
    return Dataset(path=path, name=meta.get("name") or os.path.basename(os.path.normpath(path)), meta=meta,
                   items=items, item_index=item_index, users=users)


def gap_buckets(times: list[int], bounds: list[float]) -> list[int]:
    """Gap bucket per event of a full sequence: first event 0, else bucket of the gap to the previous event."""
    out = []
    prev = None
    for t in times:
        out.append(0 if prev is None else gap_bucket(t - prev, bounds))
        prev = t
    return out
