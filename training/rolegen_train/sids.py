"""Semantic IDs by residual k-means (RQ-KMeans) over item embeddings, numpy only, seeded.

Item embedding (from what a prepared dataset has, `train` rows only for anything behavioural):
  - co-occurrence factors: truncated SVD of the user x item matrix of `train` events (action-weighted counts,
    log1p), unit norm per item; zero for items without `train` events;
  - category: a leaf-category factor (truncated SVD of the user x category matrix of `train` events) and a seeded
    random identity vector per leaf category (so levels 2-3 can tell categories of one intent cluster apart);
  - price: ordinal bucket of the price within its leaf category (quantiles);
  - brand: a seeded random identity vector per brand.

Level 1 = intent cluster. With categories, the CATEGORIES are clustered (weighted k-means over category
vectors = [category factor, mean item factor]), so every item of a category shares level 1. Without categories
(tmall2014: items are brands) the item embeddings are clustered. Levels 2 and 3: k-means on the residuals
(global codebooks, as in RQ-KMeans); the assignment is balanced, i.e. capacity-bounded per prefix (at most
V3*cap items per (c1,c2), at most cap per (c1,c2,c3), default cap 1; a prefix group too big for that gets
ceil(n/K) per code): an item whose nearest centroid is full takes its next nearest. Without the bound,
indistinguishable cold items (no `train` events, same attributes) pile into collision groups of hundreds. Level 4 = dedup code: items sharing the
3-code prefix are numbered 0.. by `train` popularity (most popular first).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .data import Dataset

ACTION_WEIGHTS = np.array([1.0, 2.0, 3.0, 4.0])


# ----------------------------------------------------------------------------------------------- linear algebra
def randomized_svd(rows, cols, vals, shape, k, seed, n_iter=5, oversample=10):
    """Truncated SVD of a sparse matrix in COO form (numpy only). Returns U [m,k], S [k], Vt [k,n]."""
    m, n = shape
    k = max(1, min(k, m, n))
    rng = np.random.RandomState(seed)

    def matmul(M):  # X @ M, M [n, r]
        out = np.zeros((m, M.shape[1]))
        np.add.at(out, rows, vals[:, None] * M[cols])
        return out

    def rmatmul(M):  # X.T @ M, M [m, r]
        out = np.zeros((n, M.shape[1]))
        np.add.at(out, cols, vals[:, None] * M[rows])
        return out

    r = min(k + oversample, m, n)
    Q = matmul(rng.standard_normal((n, r)))
    Q, _ = np.linalg.qr(Q)
    for _ in range(n_iter):
        Z, _ = np.linalg.qr(rmatmul(Q))
        Q, _ = np.linalg.qr(matmul(Z))
    B = rmatmul(Q).T  # [r, n] = Q.T @ X
    Ub, S, Vt = np.linalg.svd(B, full_matrices=False)
    U = Q @ Ub
    # deterministic signs: largest-magnitude entry of each right singular vector positive
    signs = np.sign(Vt[np.arange(len(S)), np.argmax(np.abs(Vt), axis=1)])
    signs[signs == 0] = 1
    return U[:, :k] * signs[:k], S[:k], Vt[:k] * signs[:k, None]


def _unit(X, eps=1e-12):
    n = np.linalg.norm(X, axis=1, keepdims=True)
    return np.where(n > eps, X / np.maximum(n, eps), 0.0)


def sq_dists(X, C):
    return np.maximum((X * X).sum(1)[:, None] - 2.0 * X @ C.T + (C * C).sum(1)[None, :], 0.0)


def kmeans(X, k, seed, weights=None, iters=60):
    """Weighted k-means with k-means++ init (seeded). Returns (centroids [k, d], assignment [n])."""
    X = np.asarray(X, dtype=np.float64)
    n = X.shape[0]
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    rng = np.random.RandomState(seed)
    k = max(1, k)
    # k-means++
    C = np.zeros((k, X.shape[1]))
    first = rng.choice(n, p=w / w.sum())
    C[0] = X[first]
    d2 = sq_dists(X, C[:1])[:, 0]
    for j in range(1, k):
        p = d2 * w
        if p.sum() <= 1e-18:
            C[j] = X[rng.randint(n)]
        else:
            C[j] = X[rng.choice(n, p=p / p.sum())]
        d2 = np.minimum(d2, sq_dists(X, C[j : j + 1])[:, 0])
    assign = np.full(n, -1)
    for _ in range(iters):
        new = np.argmin(sq_dists(X, C), axis=1)
        if np.array_equal(new, assign):
            break
        assign = new
        for j in range(k):
            sel = assign == j
            if sel.any():
                C[j] = (X[sel] * w[sel, None]).sum(0) / max(w[sel].sum(), 1e-12)
    return C, assign


def assign_with_capacity(D, capacity):
    """Assign each row to a column of the distance matrix D [n, K], at most `capacity` rows per column.
    Rows closest to their best column choose first; a row whose best column is full takes its next best."""
    n, K = D.shape
    capacity = max(capacity, math.ceil(n / K))
    best = np.argmin(D, axis=1)
    counts = np.bincount(best, minlength=K)
    if counts.max() <= capacity:
        return best
    order = np.lexsort((np.arange(n), D[np.arange(n), best]))
    prefs = np.argsort(D, axis=1, kind="stable")
    load = np.zeros(K, dtype=np.int64)
    out = np.empty(n, dtype=np.int64)
    for r in order:
        for c in prefs[r]:
            if load[c] < capacity:
                out[r] = c
                load[c] += 1
                break
    return out


# ----------------------------------------------------------------------------------------------------- SIDs
@dataclass
class SidResult:
    codes: np.ndarray  # [n_items, 4] int
    vocab: list[int]
    intents: list[dict]
    stats: dict
    popularity: np.ndarray  # train events per item
    embedding: np.ndarray = field(repr=False, default=None)


def train_interactions(ds: Dataset):
    """(user_idx, item_idx, weight) of `train` events."""
    us, its, ws = [], [], []
    for ui, u in enumerate(ds.users):
        for e in u.events:
            if e.part == "train":
                us.append(ui)
                its.append(e.item)
                ws.append(ACTION_WEIGHTS[e.action])
    return np.array(us, dtype=np.int64), np.array(its, dtype=np.int64), np.array(ws, dtype=np.float64)


def _coo_log(us, its, ws, n_rows, n_cols):
    key = us * n_cols + its
    uniq, inv = np.unique(key, return_inverse=True)
    vals = np.log1p(np.bincount(inv, weights=ws))
    return uniq // n_cols, uniq % n_cols, vals


def _factors(us, cols, ws, n_users, n_cols, k, seed):
    """Column factors of the user x column matrix (unit norm; zero for columns without entries)."""
    out = np.zeros((n_cols, k))
    if len(us) == 0:
        return out
    r, c, v = _coo_log(us, cols, ws, n_users, n_cols)
    # users with many events should not dominate: scale rows to unit norm
    row_norm = np.sqrt(np.bincount(r, weights=v * v, minlength=n_users))
    v = v / np.maximum(row_norm[r], 1e-12)
    kk = max(1, min(k, n_users - 1 if n_users > 1 else 1, n_cols))
    _, S, Vt = randomized_svd(r, c, v, (n_users, n_cols), kk, seed)
    F = (Vt.T * np.sqrt(S)[None, :])
    seen = np.bincount(c, minlength=n_cols) > 0
    out[:, : F.shape[1]] = np.where(seen[:, None], _unit(F), 0.0)
    return out


def _identity_vectors(keys, dim, seed):
    """Seeded random unit vector per distinct key (sorted), zero for the empty key."""
    distinct = sorted({k for k in keys if k})
    rng = np.random.RandomState(seed)
    table = _unit(rng.standard_normal((max(1, len(distinct)), dim)))
    index = {k: i for i, k in enumerate(distinct)}
    return np.array([table[index[k]] if k else np.zeros(dim) for k in keys])


def default_vocab(n_items: int) -> list[int]:
    v23 = 64 if n_items > 16384 else 32
    return [32, v23, v23]


def build_sids(ds: Dataset, seed: int = 0, vocab: list[int] | None = None, factor_dim: int = 32,
               cap: int = 1, log=print) -> SidResult:
    n_items = len(ds.items)
    V1, V2, V3 = vocab or default_vocab(n_items)
    us, its, ws = train_interactions(ds)
    popularity = np.bincount(its, minlength=n_items).astype(np.int64)
    warm = popularity > 0

    item_f = _factors(us, its, ws, len(ds.users), n_items, factor_dim, seed)
    leaf = [it.categories[-1] if it.categories else "" for it in ds.items]
    has_categories = any(leaf)
    cats = sorted({c for c in leaf if c})
    cat_index = {c: i for i, c in enumerate(cats)}
    item_cat = np.array([cat_index[c] if c else -1 for c in leaf])

    parts = [item_f]
    if has_categories:
        nc = len(cats)
        cat_f = _factors(us, np.maximum(item_cat[its], 0), ws, len(ds.users), nc, 16, seed + 1)
        # mean item factor per category (over warm items)
        mean_f = np.zeros((nc, item_f.shape[1]))
        sel = item_cat >= 0
        np.add.at(mean_f, item_cat[sel], item_f[sel])
        cnt_warm = np.bincount(item_cat[sel & warm], minlength=nc)
        mean_f = mean_f / np.maximum(cnt_warm, 1)[:, None]
        cat_vec = np.concatenate([cat_f, mean_f], axis=1)
        parts.append(0.7 * np.where(sel[:, None], cat_vec[np.maximum(item_cat, 0)], 0.0))
        parts.append(0.5 * _identity_vectors(leaf, 16, seed + 2))
    prices = [it.price for it in ds.items]
    if any(p is not None for p in prices):
        # ordinal bucket (8 quantiles) of log price within the leaf category (globally without categories)
        pb = np.zeros(n_items)
        groups: dict[str, list[int]] = {}
        for i, p in enumerate(prices):
            if p is not None:
                groups.setdefault(leaf[i], []).append(i)
        for idx in groups.values():
            lp = np.log1p(np.array([max(prices[i], 0.0) for i in idx]))
            ranks = np.argsort(np.argsort(lp, kind="stable"), kind="stable")
            pb[idx] = np.floor(ranks * 8 / max(len(idx), 1)) / 7.0 - 0.5
        parts.append(0.5 * pb[:, None])
    brands = [it.brand for it in ds.items]
    if any(brands):
        parts.append(0.4 * _identity_vectors(brands, 16, seed + 3))
    E = np.concatenate(parts, axis=1)

    # ---- level 1: intent clusters
    if has_categories:
        nc = len(cats)
        k1 = min(V1, nc)
        cat_count = np.bincount(item_cat[item_cat >= 0], minlength=nc)
        # cluster the category vectors (category factor + mean item factor), weighted by sqrt(item count)
        _, cat_assign = kmeans(cat_vec, k1, seed, weights=np.sqrt(np.maximum(cat_count, 1)))
        c1 = np.where(item_cat >= 0, cat_assign[np.maximum(item_cat, 0)], 0)
        # items without a category: nearest cluster by embedding
        if (item_cat < 0).any():
            cent = np.stack([E[(c1 == j) & (item_cat >= 0)].mean(0) if ((c1 == j) & (item_cat >= 0)).any()
                             else np.zeros(E.shape[1]) for j in range(k1)])
            c1[item_cat < 0] = np.argmin(sq_dists(E[item_cat < 0], cent), axis=1)
    else:
        _, c1 = kmeans(E, min(V1, n_items), seed)
    c1 = _compact(c1)
    C1 = np.stack([E[c1 == j].mean(0) for j in range(c1.max() + 1)])
    R1 = E - C1[c1]

    # ---- level 2: k-means on residuals, at most V3*cap items per (c1, c2)
    k2 = min(V2, n_items)
    C2, _ = kmeans(R1, k2, seed + 10)
    c2 = np.zeros(n_items, dtype=np.int64)
    for j in np.unique(c1):
        idx = np.where(c1 == j)[0]
        c2[idx] = assign_with_capacity(sq_dists(R1[idx], C2), V3 * cap)
    R2 = R1 - C2[c2]

    # ---- level 3: k-means on residuals, at most cap items per (c1, c2, c3)
    k3 = min(V3, n_items)
    C3, _ = kmeans(R2, k3, seed + 20)
    c3 = np.zeros(n_items, dtype=np.int64)
    c3_free = np.argmin(sq_dists(R2, C3), axis=1)
    pair = c1 * V2 + c2
    for p in np.unique(pair):
        idx = np.where(pair == p)[0]
        c3[idx] = assign_with_capacity(sq_dists(R2[idx], C3), cap)

    # ---- level 4: dedup code by popularity within the 3-code prefix
    codes = np.zeros((n_items, 4), dtype=np.int64)
    codes[:, 0], codes[:, 1], codes[:, 2] = c1, c2, c3
    prefix = (c1 * V2 + c2) * V3 + c3
    order = np.lexsort((np.arange(n_items), -popularity, prefix))
    counter: dict[int, int] = {}
    for i in order:
        codes[i, 3] = counter.get(prefix[i], 0)
        counter[prefix[i]] = codes[i, 3] + 1
    V4 = int(codes[:, 3].max()) + 1
    vocab_out = [int(V1), int(V2), int(V3), V4]

    # ---- stats
    group = np.bincount(np.unique(prefix, return_inverse=True)[1])
    shared = group[np.unique(prefix, return_inverse=True)[1]] > 1
    free_prefix = (c1 * V2 + c2) * V3 + c3_free
    free_group = np.bincount(np.unique(free_prefix, return_inverse=True)[1])
    free_shared = free_group[np.unique(free_prefix, return_inverse=True)[1]] > 1
    usage = [int(len(np.unique(codes[:, k]))) for k in range(4)]
    stats = {
        "items": n_items,
        "warmItems": int(warm.sum()),
        "coldItems": int((~warm).sum()),
        "categories": len(cats),
        "vocab": vocab_out,
        "codebookUsage": usage,
        "codebookUsageShare": [round(usage[k] / vocab_out[k], 4) for k in range(4)],
        "distinctPrefixes": [int(len(np.unique(codes[:, 0]))), int(len(np.unique(c1 * V2 + c2))),
                             int(len(np.unique(prefix)))],
        "collisionRate": round(float(shared.mean()), 4),
        "maxCollisionGroup": int(group.max()),
        "collisionRateWithoutCapacity": round(float(free_shared.mean()), 4),
        "maxCollisionGroupWithoutCapacity": int(free_group.max()),
        "capacityPerPrefix": cap,
        "level1": "categories clustered (all items of a leaf category share level 1)" if has_categories
        else "item embeddings clustered (no categories)",
        "embedding": {"dims": int(E.shape[1]), "factorDims": int(item_f.shape[1]),
                      "parts": ["cooccurrence factors"] + (["category factor + mean item factor", "category id"]
                                                           if has_categories else [])
                      + (["price bucket in category"] if any(p is not None for p in prices) else [])
                      + (["brand id"] if any(brands) else [])},
        "itemsPerIntent": [int(x) for x in np.bincount(c1, minlength=vocab_out[0])],
    }
    if has_categories:
        cats_per = [len(set(item_cat[c1 == j])) for j in range(c1.max() + 1)]
        stats["categoriesPerIntent"] = cats_per
        stats["level1ConstantWithinCategory"] = all(len(set(c1[item_cat == c])) == 1 for c in range(len(cats)))
    intents = _intent_labels(ds, c1, item_cat, cats, popularity, has_categories)
    log(f"SIDs: {n_items} items ({stats['warmItems']} with train events), vocab {vocab_out}, "
        f"codebook usage {usage}, collision rate {stats['collisionRate']:.3f} "
        f"(max group {stats['maxCollisionGroup']}; without capacity bound {stats['collisionRateWithoutCapacity']:.3f}, "
        f"max group {stats['maxCollisionGroupWithoutCapacity']})")
    return SidResult(codes=codes, vocab=vocab_out, intents=intents, stats=stats, popularity=popularity, embedding=E)


def _compact(a):
    """Renumber cluster ids 0..m-1 in order of first appearance of the sorted ids (drops empty clusters)."""
    uniq = np.unique(a)
    remap = {int(u): i for i, u in enumerate(uniq)}
    return np.array([remap[int(x)] for x in a], dtype=np.int64)


def _intent_labels(ds, c1, item_cat, cats, popularity, has_categories):
    intents = []
    for j in range(int(c1.max()) + 1):
        idx = np.where(c1 == j)[0]
        if has_categories:
            score: dict[int, tuple] = {}
            for i in idx:
                c = int(item_cat[i])
                a, b = score.get(c, (0, 0))
                score[c] = (a + int(popularity[i]), b + 1)
            ranked = sorted(score, key=lambda c: (-score[c][0], -score[c][1], cats[c] if c >= 0 else ""))
            names = [cats[c] if c >= 0 else "(none)" for c in ranked]
            label = f"cat {names[0]}" + (f" + {len(names) - 1} more" if len(names) > 1 else "")
            intents.append({"id": j, "label": label, "categories": names[:10], "items": int(len(idx))})
        else:
            ranked = sorted(idx, key=lambda i: (-int(popularity[i]), ds.items[i].id))
            top = [ds.items[i].id for i in ranked[:2]]
            noun = "brand" if ds.meta.get("format") == "tmall2014" else "item"
            label = f"{noun} " + ", ".join(top) + (f" + {len(idx) - len(top)} more" if len(idx) > len(top) else "")
            intents.append({"id": j, "label": label, "topItems": [ds.items[i].id for i in ranked[:10]],
                            "items": int(len(idx))})
    return intents
