"""A tiny dataset in the prepared format (what `npm run prepare` writes), built in a temp dir by the tests."""
from __future__ import annotations

import json
import os
import random

DAY = 86400
T0 = 1560124800  # 2019-06-10 00:00 UTC


def _esc(s: str) -> str:
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def write_fixture(path: str, n_users: int = 14, n_items: int = 48, with_categories: bool = True, seed: int = 1):
    """Items in 6 leaf categories (one name holds a '>' and one a tab, to exercise the escaping), some brands and
    prices; users with 8-40 events over 10 days; parts and users.tsv columns as the real prepare writes them."""
    rng = random.Random(seed)
    os.makedirs(path, exist_ok=True)
    cats = ["c0", "c1", "a>b", "tab\there", "c4", "c5"]
    items = []
    for i in range(n_items):
        cat = cats[i % len(cats)]
        items.append(dict(id=f"i{i}", cat=cat, brand=f"b{i % 5}" if i % 3 == 0 else "",
                          price=f"{1 + (i * 7) % 50}.5"))
    with open(os.path.join(path, "items.tsv"), "w", newline="") as f:
        f.write("item_id\tcategories\tbrand\tprice\ttitle\n")
        for it in items:
            catf = ("top>" + _esc(it["cat"]).replace(">", "\\>")) if with_categories else ""
            price = it["price"] if with_categories else ""
            brand = it["brand"] if with_categories else ""
            f.write(f"{it['id']}\t{catf}\t{brand}\t{price}\t\n")
    users, events = [], []
    actions = ["click", "click", "click", "fav", "cart", "buy"]
    for u in range(n_users):
        uid = f"u{u}"
        n = rng.randint(8, 40)
        pref = rng.randrange(len(cats))
        evs = []
        for k in range(n):
            day = min(9, k * 10 // n)
            if rng.random() < 0.6:
                it = rng.randrange(pref, n_items, len(cats))  # same category as the user's preference
            else:
                it = rng.randrange(n_items)
            if rng.random() < 0.3 and evs:
                it = evs[-1][0]
            evs.append((it, rng.choice(actions), T0 + day * DAY))
        # last buy day = target day, previous buy day = validation day
        buy_days = sorted({(t - T0) // DAY for _, a, t in evs if a == "buy"})
        target_day = buy_days[-1] if buy_days else None
        val_day = buy_days[-2] if len(buy_days) > 1 else None
        parts = []
        for it, a, t in evs:
            d = (t - T0) // DAY
            if target_day is None:
                parts.append("train")
            elif d > target_day:
                parts.append("after-target")
            elif d == target_day:
                parts.append("target-day")
            elif val_day is not None and d == val_day:
                parts.append("validation-day")
            elif val_day is not None and d > val_day:
                parts.append("pre-target")
            else:
                parts.append("train")
        history = sum(1 for p in parts if p in ("train", "validation-day", "pre-target"))
        train_n = sum(1 for p in parts if p == "train")
        tgt = sorted({f"i{it}" for (it, a, _), p in zip(evs, parts) if p == "target-day" and a == "buy"})
        val = sorted({f"i{it}" for (it, a, _), p in zip(evs, parts) if p == "validation-day" and a == "buy"})
        hist_buys = sum(1 for (_, a, _), p in zip(evs, parts[:history]) if a == "buy")
        users.append([uid, "dormant" if hist_buys == 0 else "active", str(n), str(train_n), str(history),
                      str(hist_buys), str(hist_buys / max(history, 1)),
                      "" if target_day is None else f"2019-06-{10 + target_day:02d}", " ".join(tgt),
                      "" if val_day is None else f"2019-06-{10 + val_day:02d}", " ".join(val)])
        for seq, ((it, a, t), p) in enumerate(zip(evs, parts)):
            events.append([uid, f"i{it}", a, str(t), f"2019-06-{10 + (t - T0) // DAY:02d}", str(seq), p])
    with open(os.path.join(path, "events.tsv"), "w", newline="") as f:
        f.write("user_id\titem_id\taction\ttime\tday\tseq\tpart\n")
        for r in events:
            f.write("\t".join(r) + "\n")
    with open(os.path.join(path, "users.tsv"), "w", newline="") as f:
        f.write("user_id\tsegment\tevents\ttrain_events\thistory_events\thistory_purchases\tpurchase_rate\t"
                "target_day\ttarget_items\tvalidation_day\tvalidation_items\n")
        for r in users:
            f.write("\t".join(r) + "\n")
    with open(os.path.join(path, "dataset.json"), "w") as f:
        json.dump({"schema": "rolegen.prepared-dataset", "version": 1, "name": "fixture",
                   "format": "fixture", "resolution": "day",
                   "attribution": {"source": "synthetic test fixture", "terms": "none", "text": "synthetic"}}, f)
    return path
