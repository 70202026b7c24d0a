"""Train the Generative Behavioral Backbone on a prepared dataset and export it for the TypeScript runtime.

    npm run train -- --dataset <prepared dir> [--out models/<name>] [--epochs N] [--seed S]
    (= python3 -m training.rolegen_train.train ...)

Training sees only events.tsv rows with part == "train". Validation: the validation-day purchases of users.tsv
(validation_items), input = the user's `train` events (all before the validation day), scored as the next event
with action = buy; early stopping on their mixture NLL. Writes encoder.onnx, head.onnx, sids.tsv, meta.json and
parity.json into --out.
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import math
import os
import platform
import random
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

from .data import ACTIONS, DEFAULT_GAP_BOUNDS, Dataset, gap_buckets, load_dataset
from .export import DEFAULT_OPSET, check_parity, encoder_inputs, export_onnx, write_parity
from .model import Backbone, EncoderExport
from .sids import SidResult, build_sids

BUY = ACTIONS.index("buy")
KS = [1, 5, 10, 20]


# ------------------------------------------------------------------------------------------------- determinism
def set_determinism(seed: int, threads: int):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)


# ----------------------------------------------------------------------------------------------------- trie
class Trie:
    """Valid children per prefix, as dense masks, for the trie-restricted softmax at each level (the same
    restriction the TypeScript beam search applies), plus per-item row indices into those masks."""

    def __init__(self, codes: np.ndarray, vocab: list[int]):
        V1, V2, V3, V4 = vocab
        self.vocab = vocab
        self.codes = torch.from_numpy(codes.astype(np.int64))
        c1, c2, c3, c4 = (codes[:, k].astype(np.int64) for k in range(4))
        m1 = np.zeros(V1, dtype=bool)
        m1[c1] = True
        m2 = np.zeros((V1, V2), dtype=bool)
        m2[c1, c2] = True
        pair = c1 * V2 + c2
        self.pairs, pair_row = np.unique(pair, return_inverse=True)
        m3 = np.zeros((len(self.pairs), V3), dtype=bool)
        m3[pair_row, c3] = True
        trip = pair * V3 + c3
        self.trips, trip_row = np.unique(trip, return_inverse=True)
        m4 = np.zeros((len(self.trips), V4), dtype=bool)
        m4[trip_row, c4] = True
        self.m1, self.m2, self.m3, self.m4 = (torch.from_numpy(m) for m in (m1, m2, m3, m4))
        self.pair_row = torch.from_numpy(pair_row.astype(np.int64))
        self.trip_row = torch.from_numpy(trip_row.astype(np.int64))
        # 3-code prefixes with more than one valid dedup code (level 4 is certain elsewhere)
        multi = m4.sum(1) > 1
        self.multi_trips = np.where(multi)[0]
        self.multi_index = np.full(len(self.trips), -1, dtype=np.int64)
        self.multi_index[self.multi_trips] = np.arange(len(self.multi_trips))

    def item_masks(self, items: torch.Tensor):
        c = self.codes[items]
        return [self.m1.expand(len(items), -1), self.m2[c[:, 0]], self.m3[self.pair_row[items]],
                self.m4[self.trip_row[items]]]


def masked_log_softmax(logits, valid):
    return torch.log_softmax(logits.masked_fill(~valid, -1e9), dim=-1)


def sid_log_prob(head, h, action, items, trie: Trie):
    """log P_sid(item | state, action), teacher-forced level by level, softmax restricted to valid children."""
    c = trie.codes[items]
    logits = head(h, action, c[:, :3])
    total = torch.zeros(len(items))
    for k, (lg, m) in enumerate(zip(logits, trie.item_masks(items))):
        total = total + masked_log_softmax(lg, m).gather(1, c[:, k : k + 1]).squeeze(1)
    return total


@torch.no_grad()
def all_items_log_prob(head, state, action: int, trie: Trie):
    """log P_sid(i | state, action) for every item: [U, n_items], walking the trie level by level."""
    U = state.shape[0]
    V1, V2, V3, V4 = trie.vocab
    a = torch.full((U, 1), action, dtype=torch.long)
    s = state.unsqueeze(1)  # [U,1,D]
    z = torch.zeros(1, 1, 3, dtype=torch.long)
    l1 = masked_log_softmax(head.level(0, s, a, z), trie.m1)[:, 0]  # [U,V1]
    p = torch.zeros(1, V1, 3, dtype=torch.long)
    p[0, :, 0] = torch.arange(V1)
    l2 = masked_log_softmax(head.level(1, s, a, p), trie.m2.unsqueeze(0))  # [U,V1,V2]
    pairs = torch.from_numpy(trie.pairs)
    p = torch.zeros(1, len(pairs), 3, dtype=torch.long)
    p[0, :, 0], p[0, :, 1] = pairs // V2, pairs % V2
    l3 = masked_log_softmax(head.level(2, s, a, p), trie.m3.unsqueeze(0))  # [U,n_pairs,V3]
    c = trie.codes
    out = l1[:, c[:, 0]] + l2[:, c[:, 0], c[:, 1]] + l3[:, trie.pair_row, c[:, 2]]
    if len(trie.multi_trips):
        trips = torch.from_numpy(trie.trips[trie.multi_trips])
        p = torch.zeros(1, len(trips), 3, dtype=torch.long)
        p[0, :, 0], p[0, :, 1], p[0, :, 2] = trips // (V2 * V3), (trips // V3) % V2, trips % V3
        l4 = masked_log_softmax(head.level(3, s, a, p), trie.m4[torch.from_numpy(trie.multi_trips)].unsqueeze(0))
        mi = torch.from_numpy(trie.multi_index)[trie.trip_row]
        sel = mi >= 0
        out[:, sel] = out[:, sel] + l4[:, mi[sel], c[sel, 3]]
    return out


# ------------------------------------------------------------------------------------------------- sequences
def encode_sequence(items: list[int], actions: list[int], times: list[int], codes: np.ndarray, bounds, max_len):
    """The encoder inputs of one sequence exactly as the TypeScript runtime builds them: most recent max_len
    events, left-padded; the gap of the first kept event is measured to the cut-off event before it."""
    gaps = gap_buckets(times, bounds)
    n = min(len(items), max_len)
    off = max_len - n
    c = np.zeros((max_len, 4), dtype=np.int32)
    a = np.zeros(max_len, dtype=np.int32)
    g = np.zeros(max_len, dtype=np.int32)
    m = np.zeros(max_len, dtype=np.int32)
    it = np.full(max_len, -1, dtype=np.int64)
    if n:
        sl = slice(len(items) - n, len(items))
        c[off:] = codes[np.array(items[sl])]
        a[off:] = actions[sl]
        g[off:] = gaps[sl]
        m[off:] = 1
        it[off:] = items[sl]
    return c, a, g, m, it


def load_candidates(path: str, ds: Dataset) -> dict[str, list[tuple[int, list[int]]]]:
    """`npm run candidates` output: per user, (cut, candidate item indices best first), cuts ascending. A cut is a
    number of the user's `train` events; the reasoner saw exactly those, so nothing after them."""
    out: dict[str, list[tuple[int, list[int]]]] = {}
    train_n = {u.id: sum(1 for e in u.events if e.part == "train") for u in ds.users}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            r = json.loads(line)
            user, cut = r["user"], int(r["cut"])
            if user not in train_n:
                raise ValueError(f"{path}:{n}: unknown user {user!r}")
            if not 1 <= cut <= train_n[user]:
                raise ValueError(f"{path}:{n}: cut {cut} outside user {user!r}'s {train_n[user]} train events")
            items = []
            for item, _score in r["candidates"]:
                if item not in ds.item_index:
                    raise ValueError(f"{path}:{n}: unknown item {item!r}")
                items.append(ds.item_index[item])
            out.setdefault(user, []).append((cut, items))
    for v in out.values():
        v.sort(key=lambda x: x[0])
    return out


def candidate_arrays(rows: list[list[int]], codes: np.ndarray, slots: int, dtype):
    """One candidate set (item indices, best first, at most `slots`) per row -> SID codes [rows, slots, 4] and the
    mask [rows, slots] (1 = a real candidate), as the encoder's `candidates` and `candidate_mask` inputs."""
    cc = np.zeros((len(rows), slots, 4), dtype=dtype)
    cm = np.zeros((len(rows), slots), dtype=dtype)
    for r, its in enumerate(rows):
        if its:
            cc[r, : len(its)] = codes[np.array(its)]
            cm[r, : len(its)] = 1
    return cc, cm


def candidate_blocks(cuts: list[tuple[int, list[int]]], start: int, end: int, slots: int):
    """The candidate sets positions start..end (inclusive, event indices) may see: a cut's set is visible from the
    position whose input is exactly the cut (index cut-1) until the next cut takes over. Returns
    [(first, last_exclusive) local to the window, items[:slots]]."""
    blocks = []
    for k, (cut, items) in enumerate(cuts):
        until = cuts[k + 1][0] - 1 if k + 1 < len(cuts) else end + 1
        lo, hi = max(cut - 1, start), min(until, end + 1)
        if lo < hi and items:
            blocks.append((lo - start, hi - start, items[:slots]))
    return blocks


def build_windows(ds: Dataset, max_len: int, stride: int, bounds, candidates=None, slots: int = 0):
    """Training windows over every user's `train` events: inputs e_0..e_{n-2}, targets e_1..e_{n-1}. A long
    sequence is cut into windows of max_len inputs whose loss covers only their last `stride` positions (the
    earliest window covers all of its positions), so each transition is trained once, with >= max_len-stride
    events of context where the history has them. With candidates, each window carries the candidate sets its
    positions may see (candidate_blocks)."""
    windows = []
    for u in ds.users:
        ev = [e for e in u.events if e.part == "train"]
        n = len(ev)
        if n < 2:
            continue
        items = np.array([e.item for e in ev], dtype=np.int64)
        acts = np.array([e.action for e in ev], dtype=np.int64)
        gaps = np.array(gap_buckets([e.time for e in ev], bounds), dtype=np.int64)
        days = np.array([e.time // 86400 for e in ev], dtype=np.int64)
        cross = np.concatenate([days[1:] > days[:-1], [False]])  # the next event is on a later day
        e = n - 2
        while True:
            start = max(0, e - max_len + 1)
            loss_from = 0 if start == 0 else e - stride + 1
            sl = slice(start, e + 1)
            nx = slice(start + 1, e + 2)
            lm = np.zeros(e + 1 - start, dtype=bool)
            lm[loss_from - start :] = True
            w = dict(items=items[sl], actions=acts[sl], gaps=gaps[sl], next_items=items[nx],
                     next_actions=acts[nx], cross=cross[sl], loss=lm)
            if candidates is not None:
                w["cands"] = candidate_blocks(candidates.get(u.id, []), start, e, slots)
            windows.append(w)
            if start == 0:
                break
            e = loss_from - 1
    return windows


def make_batches(windows, codes: np.ndarray, batch_size: int, slots: int = 0):
    """Windows sorted by length (stable), grouped into batches, each left-padded to its longest window. With
    candidates: a row's K candidate sets take K blocks of `slots` slots, each visible at its own positions."""
    order = sorted(range(len(windows)), key=lambda i: (len(windows[i]["items"]), i))
    batches = []
    for b0 in range(0, len(order), batch_size):
        ws = [windows[i] for i in order[b0 : b0 + batch_size]]
        L = max(len(w["items"]) for w in ws)
        B = len(ws)
        it = np.zeros((B, L), dtype=np.int64)
        real = np.zeros((B, L), dtype=np.int64)
        a = np.zeros((B, L), dtype=np.int64)
        g = np.zeros((B, L), dtype=np.int64)
        ni = np.zeros((B, L), dtype=np.int64)
        na = np.zeros((B, L), dtype=np.int64)
        lm = np.zeros((B, L), dtype=bool)
        cr = np.zeros((B, L), dtype=bool)
        for r, w in enumerate(ws):
            n = len(w["items"])
            it[r, L - n :], a[r, L - n :], g[r, L - n :] = w["items"], w["actions"], w["gaps"]
            ni[r, L - n :], na[r, L - n :], lm[r, L - n :] = w["next_items"], w["next_actions"], w["loss"]
            real[r, L - n :] = 1
            cr[r, L - n :] = w["cross"]
        items_t = torch.from_numpy(np.where(real > 0, it, -1))
        c = torch.from_numpy(codes[it].astype(np.int64)) * torch.from_numpy(real)[..., None]
        batch = dict(codes=c, actions=torch.from_numpy(a * real), gaps=torch.from_numpy(g * real),
                     mask=torch.from_numpy(real), items=items_t, next_items=torch.from_numpy(ni),
                     next_actions=torch.from_numpy(na), cross=torch.from_numpy(cr), loss=torch.from_numpy(lm))
        if slots:
            K = max([len(w["cands"]) for w in ws] + [1])
            S = K * slots
            cc = np.zeros((B, S, 4), dtype=np.int64)
            vis = np.zeros((B, L, S), dtype=bool)
            block = np.full((B, S), -1, dtype=np.int64)  # which candidate set (per row) a slot belongs to
            for r, w in enumerate(ws):
                off = L - len(w["items"])
                for k, (lo, hi, its) in enumerate(w["cands"]):
                    s0 = k * slots
                    cc[r, s0 : s0 + len(its)] = codes[np.array(its)]
                    vis[r, off + lo : off + hi, s0 : s0 + len(its)] = True
                    block[r, s0 : s0 + slots] = k
            batch.update(cand_codes=torch.from_numpy(cc), cand_visible=torch.from_numpy(vis),
                         cand_rank=torch.arange(S) % slots, cand_block=torch.from_numpy(block))
        batches.append(batch)
    return batches


def candidate_dropout(b, slots: int, set_p: float, slot_p: float, gen: torch.Generator):
    """Visibility after dropping whole candidate sets (so the model keeps working without any) and single slots
    (so it does not rely on one slot being filled)."""
    blk = b["cand_block"]
    B, S = blk.shape
    keep_set = torch.rand(B, S // slots, generator=gen) >= set_p
    keep = keep_set.gather(1, blk.clamp_min(0)) & (blk >= 0) & (torch.rand(B, S, generator=gen) >= slot_p)
    return b["cand_visible"] & keep.unsqueeze(1)


# ------------------------------------------------------------------------------------------------------ loss
def mixture_log_prob(log_gen, log_copy, gate_logit):
    """log[(1-g) P_gen + g P_copy] with g = sigmoid(gate_logit)."""
    return torch.logaddexp(F.logsigmoid(-gate_logit) + log_gen, F.logsigmoid(gate_logit) + log_copy)


def batch_loss(model: Backbone, b, trie: Trie, target_weights=None, cross_day_weight=1.0, cand_visible=None):
    if model.cand_slots and "cand_codes" in b:
        vis = b["cand_visible"] if cand_visible is None else cand_visible
        states = model.encode(b["codes"], b["actions"], b["gaps"], b["mask"], b["cand_codes"], vis, b["cand_rank"])
    else:
        states = model.encode(b["codes"], b["actions"], b["gaps"], b["mask"])
    lm = b["loss"]
    h = states[lm]
    tgt_item = b["next_items"][lm]
    tgt_act = b["next_actions"][lm]
    ce = F.cross_entropy(model.action_head(h), tgt_act, reduction="none")
    log_gen = sid_log_prob(model.sid_head, h, tgt_act, tgt_item, trie)
    scores = model.copy_scores(states)
    allowed = Backbone.allowed(b["mask"], self_always=False)
    logp = torch.log_softmax(scores.masked_fill(~allowed, -1e9), dim=-1)
    matched = allowed & (b["items"].unsqueeze(1) == b["next_items"].unsqueeze(2))
    log_copy = torch.logsumexp(logp.masked_fill(~matched, -1e4), dim=-1)[lm]
    gate = model.gate_head(h).gather(1, tgt_act.unsqueeze(1)).squeeze(1)
    nll_item = -mixture_log_prob(log_gen, log_copy, gate)
    if target_weights is None and cross_day_weight == 1.0:
        loss = ce.mean() + nll_item.mean()
    else:  # weight transitions by their next action and by whether they cross a day; normalised to the batch
        w = torch.ones(len(tgt_act)) if target_weights is None else target_weights[tgt_act]
        w = w * torch.where(b["cross"][lm], cross_day_weight, 1.0)
        loss = ((ce + nll_item) * w).sum() / w.sum()
    return loss, ce.mean().item(), nll_item.mean().item(), len(tgt_item)


# ------------------------------------------------------------------------------------------------ validation
class EvalSet:
    """Users with validation targets and at least one `train` event: input = their `train` events."""

    def __init__(self, ds: Dataset, codes: np.ndarray, bounds, max_len: int, use_test: bool = False,
                 candidates=None, slots: int = 0):
        """With candidates: each user's set computed on exactly this input (the cut covering all `train` events);
        users without one get an empty set, as the runtime gives a user the reasoner found nothing for."""
        rows = []
        cand_rows = []
        self.users, self.targets, self.skipped = [], [], 0
        for u in ds.users:
            tgt = u.target_items if use_test else u.validation_items
            if not tgt:
                continue
            ev = u.events[: u.history_events] if use_test else [e for e in u.events if e.part == "train"]
            if not ev:
                self.skipped += 1
                continue
            rows.append(encode_sequence([e.item for e in ev], [e.action for e in ev], [e.time for e in ev], codes,
                                        bounds, max_len))
            self.users.append(u.id)
            self.targets.append([ds.item_index[i] for i in tgt if i in ds.item_index])
            if slots:
                sets = dict(candidates.get(u.id, [])) if candidates is not None else {}
                cand_rows.append(sets.get(len(ev), [])[:slots] if not use_test else [])
        self.codes = torch.from_numpy(np.stack([r[0] for r in rows])) if rows else None
        self.actions = torch.from_numpy(np.stack([r[1] for r in rows])) if rows else None
        self.gaps = torch.from_numpy(np.stack([r[2] for r in rows])) if rows else None
        self.mask = torch.from_numpy(np.stack([r[3] for r in rows])) if rows else None
        self.items = torch.from_numpy(np.stack([r[4] for r in rows])) if rows else None
        self.slots = slots
        if slots and rows:
            cc, cm = candidate_arrays(cand_rows, codes, slots, np.int64)
            self.cand_codes, self.cand_mask = torch.from_numpy(cc), torch.from_numpy(cm)
            self.with_candidates = int((cm.sum(1) > 0).sum())

    def __len__(self):
        return len(self.users)


def ranking_metrics(top: np.ndarray, eva: EvalSet, prefix=""):
    """Micro Recall@K (hits / targets), HR@K (share of users with a hit), split into seen (target item in the
    input) and new targets."""
    hits = {k: 0 for k in KS}
    hr = {k: 0 for k in KS}
    seen_hits = {k: 0 for k in KS}
    new_hits = {k: 0 for k in KS}
    n_t = n_seen = 0
    for r, tg in enumerate(eva.targets):
        hist = set(eva.items[r][eva.mask[r] > 0].tolist())
        for k in KS:
            topk = set(top[r, :k].tolist())
            h = [t in topk for t in tg]
            hits[k] += sum(h)
            hr[k] += int(any(h))
            seen_hits[k] += sum(x for x, t in zip(h, tg) if t in hist)
            new_hits[k] += sum(x for x, t in zip(h, tg) if t not in hist)
        n_t += len(tg)
        n_seen += sum(t in hist for t in tg)
    out = {f"{prefix}recall@{k}": hits[k] / max(n_t, 1) for k in KS}
    out.update({f"{prefix}hr@{k}": hr[k] / max(len(eva), 1) for k in KS})
    out[f"{prefix}recallSeen@10"] = seen_hits[10] / max(n_seen, 1)
    out[f"{prefix}recallNew@10"] = new_hits[10] / max(n_t - n_seen, 1)
    return out, n_t, n_seen


@torch.no_grad()
def evaluate(model: Backbone, eva: EvalSet, trie: Trie, n_items: int, chunk: int = 32, use_candidates: bool = True):
    model.eval()
    nll_sum, intent_nll, n_t = 0.0, 0.0, 0
    tops = []
    for s in range(0, len(eva), chunk):
        sl = slice(s, s + chunk)
        if model.cand_slots and eva.slots and use_candidates:
            T = eva.mask.shape[1]
            vis = (eva.cand_mask[sl] > 0).unsqueeze(1).expand(-1, T, -1)
            states = model.encode(eva.codes[sl], eva.actions[sl], eva.gaps[sl], eva.mask[sl], eva.cand_codes[sl],
                                  vis, torch.arange(eva.slots))
        else:
            states = model.encode(eva.codes[sl], eva.actions[sl], eva.gaps[sl], eva.mask[sl])
        st = states[:, -1]
        gate = torch.sigmoid(model.gate_head(st)[:, BUY])
        q = model.copy_q(st).unsqueeze(1)
        k = model.copy_k(states)
        cl = (q @ k.transpose(-1, -2)).squeeze(1) / math.sqrt(model.d_model)
        cp = torch.softmax(cl.masked_fill(eva.mask[sl] == 0, -1e9), dim=-1)
        items = eva.items[sl]
        copy_p = torch.zeros(len(st), n_items + 1)
        copy_p.scatter_add_(1, torch.where(items >= 0, items, n_items), cp * (items >= 0))
        copy_p = copy_p[:, :n_items]
        gen = torch.exp(all_items_log_prob(model.sid_head, st, BUY, trie))
        p = (1 - gate[:, None]) * gen + gate[:, None] * copy_p
        p_intent = torch.zeros(len(st), trie.vocab[0]).index_add_(1, trie.codes[:, 0], p)
        for r, tg in enumerate(eva.targets[sl]):
            if tg:
                nll_sum += float(-torch.log(p[r, tg].clamp_min(1e-30)).sum())
                intent_nll += float(-torch.log(p_intent[r, trie.codes[tg, 0]].clamp_min(1e-30)).sum())
                n_t += len(tg)
        # ties broken by item index (stable), like the TypeScript sort by item id is deterministic too
        tops.append(torch.topk(p, max(KS), dim=1).indices.numpy())
    top = np.concatenate(tops) if tops else np.zeros((0, max(KS)), dtype=np.int64)
    metrics, n_targets, n_seen = ranking_metrics(top, eva)
    metrics = {"nll": nll_sum / max(n_t, 1), "intentNll": intent_nll / max(n_t, 1), **metrics}
    return metrics, n_targets, n_seen


def baseline_metrics(ds: Dataset, eva: EvalSet, popularity: np.ndarray):
    """Popularity (train events per item) and recent-repeat (history items, most recent first, then
    popularity) on the same validation users, for context."""
    pop_order = np.lexsort((np.arange(len(popularity)), -popularity))[: max(KS) * 4]
    top_pop = np.tile(pop_order[: max(KS)], (len(eva), 1))
    top_rep = np.zeros((len(eva), max(KS)), dtype=np.int64)
    for r in range(len(eva)):
        hist = eva.items[r][eva.mask[r] > 0].tolist()
        seen, lst = set(), []
        for it in reversed(hist):
            if it not in seen:
                seen.add(it)
                lst.append(it)
        for it in pop_order:
            if len(lst) >= max(KS):
                break
            if it not in seen:
                seen.add(it)
                lst.append(it)
        top_rep[r] = lst[: max(KS)]
    pop, _, _ = ranking_metrics(top_pop, eva)
    rep, _, _ = ranking_metrics(top_rep, eva)
    keep = ["recall@1", "recall@10", "recall@20", "recallSeen@10", "recallNew@10"]
    return {"popularity": {k: round(pop[k], 4) for k in keep}, "recentRepeat": {k: round(rep[k], 4) for k in keep}}


# -------------------------------------------------------------------------------------------------- parity
def parity_inputs(ds: Dataset, codes: np.ndarray, bounds, max_len: int, vocab, candidates=None, slots: int = 0):
    """3 real users (longest test input, a median one, a short one) with their test inputs (the first
    history_events events), and 6 head rows with varied action and prefix. With candidate slots: the first two
    users get a real candidate set (their latest, else the first user's who has one), the third none, so both the
    conditioned and the empty path are checked; returned as item ids too (the TypeScript side encodes them)."""
    cands = sorted([u for u in ds.users if u.history_events >= 2], key=lambda u: (u.history_events, u.id))
    picks = [cands[-1], cands[len(cands) // 2], cands[0]]
    rows = []
    for u in picks:
        ev = u.events[: u.history_events]
        rows.append(encode_sequence([e.item for e in ev], [e.action for e in ev], [e.time for e in ev], codes,
                                    bounds, max_len))
    enc = {"codes": np.stack([r[0] for r in rows]).astype(np.int32),
           "actions": np.stack([r[1] for r in rows]).astype(np.int32),
           "gaps": np.stack([r[2] for r in rows]).astype(np.int32),
           "mask": np.stack([r[3] for r in rows]).astype(np.int32)}
    # head rows: the first two users' last items' SIDs as prefixes at various depths
    last = [int(r[4][-1]) for r in rows]
    s0, s1 = codes[last[0]], codes[last[1]]
    prefix = np.array([[0, 0, 0], [s0[0], 0, 0], [s0[0], s0[1], 0], [s0[0], s0[1], s0[2]],
                       [s1[0], s1[1], s1[2]], [vocab[0] - 1, vocab[1] - 1, vocab[2] - 1]], dtype=np.int32)
    action = np.array([BUY, 0, 1, 2, BUY, BUY], dtype=np.int32)
    cand_items = None
    if slots:
        fallback = next((sets[-1][1] for _, sets in sorted((candidates or {}).items()) if sets and sets[-1][1]), [])
        chosen = []
        for r, u in enumerate(picks):
            sets = (candidates or {}).get(u.id, [])
            chosen.append([] if r == 2 else (sets[-1][1] if sets and sets[-1][1] else fallback)[:slots])
        enc["candidates"], enc["candidate_mask"] = candidate_arrays(chosen, codes, slots, np.int32)
        cand_items = [[ds.items[i].id for i in its] for its in chosen]
    return picks, enc, action, prefix, cand_items


# ------------------------------------------------------------------------------------------------------ main
def parse_args(argv=None):
    p = argparse.ArgumentParser(prog="npm run train --", description=__doc__.split("\n")[0])
    p.add_argument("--dataset", required=True, help="prepared dataset dir (npm run prepare --out)")
    p.add_argument("--out", help="output dir (default models/<basename of --dataset>)")
    p.add_argument("--epochs", type=int, default=20, help="max epochs (early stopping on validation NLL)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--patience", type=int, default=3)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--weight-decay", type=float, default=0.0)
    p.add_argument("--d-model", type=int, default=64)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--heads", type=int, default=2)
    p.add_argument("--ff", type=int, default=256)
    p.add_argument("--head-hidden", type=int, default=256)
    p.add_argument("--dropout", type=float, default=0.1)
    p.add_argument("--target-weights", type=float, nargs=4, default=[1.0, 1.0, 1.0, 3.0],
                   metavar=("CLICK", "FAV", "CART", "BUY"), help="loss weight of a transition by its next action")
    p.add_argument("--cross-day-weight", type=float, default=5.0,
                   help="loss weight of a transition whose next event is on a later day")
    p.add_argument("--max-len", type=int, default=128)
    p.add_argument("--stride", type=int, default=64, help="loss positions per window of a long sequence")
    p.add_argument("--vocab", type=int, nargs=3, metavar=("V1", "V2", "V3"), help="SID codebook sizes")
    p.add_argument("--sid-capacity", type=int, default=1, help="items per 3-code prefix before spreading")
    p.add_argument("--factor-dim", type=int, default=32)
    p.add_argument("--opset", type=int, default=DEFAULT_OPSET)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--max-minutes", type=float, default=12.0, help="stop starting epochs after this")
    p.add_argument("--candidates", help="integration (a): the reasoner's candidates on training inputs "
                                        "(npm run candidates --out); the model gets a candidate conditioning segment")
    p.add_argument("--cand-slots", type=int, default=8, help="candidate slots of the conditioning segment")
    p.add_argument("--cand-set-dropout", type=float, default=0.25,
                   help="probability of hiding a whole candidate set during training")
    p.add_argument("--cand-slot-dropout", type=float, default=0.1,
                   help="probability of hiding one candidate during training")
    return p.parse_args(argv)


def main(argv=None):
    meta, _ = run(parse_args(argv))
    return meta


def run(args):
    """Trains and exports; returns (meta, the trained model at its best epoch, in eval mode)."""
    t_start = time.time()
    set_determinism(args.seed, args.threads)
    out = args.out or os.path.join("models", os.path.basename(os.path.normpath(args.dataset)))
    os.makedirs(out, exist_ok=True)
    bounds = list(DEFAULT_GAP_BOUNDS)
    ds = load_dataset(args.dataset)
    n_items = len(ds.items)
    print(f"dataset {ds.name}: {len(ds.users)} users, {n_items} items, "
          f"{sum(len(u.events) for u in ds.users)} events "
          f"({sum(1 for u in ds.users for e in u.events if e.part == 'train')} train)", flush=True)

    t0 = time.time()
    sid: SidResult = build_sids(ds, seed=args.seed, vocab=args.vocab, factor_dim=args.factor_dim,
                                cap=args.sid_capacity)
    sid_seconds = time.time() - t0
    codes = sid.codes
    trie = Trie(codes, sid.vocab)

    candidates = load_candidates(args.candidates, ds) if args.candidates else None
    slots = args.cand_slots if candidates is not None else 0
    windows = build_windows(ds, args.max_len, args.stride, bounds, candidates, slots)
    transitions = int(sum(w["loss"].sum() for w in windows))
    batches = make_batches(windows, codes, args.batch_size, slots)
    eva = EvalSet(ds, codes, bounds, args.max_len, candidates=candidates, slots=slots)
    cand_info = {}
    if candidates is not None:
        seen = sum(int(w["loss"][lo:hi].sum()) for w in windows for lo, hi, _ in w["cands"])
        sets = [len(its) for v in candidates.values() for _, its in v]
        with open(args.candidates, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        cand_info = {"file": os.path.basename(args.candidates), "sha256": digest, "users": len(candidates),
                     "sets": len(sets), "meanSetSize": round(sum(sets) / max(1, len(sets)), 3),
                     "slots": slots, "transitionsWithCandidates": seen,
                     "validationUsersWithCandidates": getattr(eva, "with_candidates", 0),
                     "setDropout": args.cand_set_dropout, "slotDropout": args.cand_slot_dropout}
        print(f"candidates: {len(sets)} sets of {len(candidates)} users (mean size {cand_info['meanSetSize']}), "
              f"{seen} of {transitions} training transitions see one; {cand_info['validationUsersWithCandidates']}"
              f" of {len(eva)} validation users have one", flush=True)
    print(f"windows {len(windows)}, transitions {transitions}, batches {len(batches)}; validation users "
          f"{len(eva)} ({eva.skipped} with validation targets but no train events skipped), "
          f"targets {sum(len(t) for t in eva.targets)}", flush=True)
    baselines = baseline_metrics(ds, eva, sid.popularity) if len(eva) else {}
    if baselines:
        print(f"baselines on validation: popularity R@10 {baselines['popularity']['recall@10']:.4f}, "
              f"recent-repeat R@10 {baselines['recentRepeat']['recall@10']:.4f}", flush=True)

    set_determinism(args.seed, args.threads)
    model = Backbone(sid.vocab, d_model=args.d_model, layers=args.layers, heads=args.heads, ff=args.ff,
                     max_len=args.max_len, n_gaps=len(bounds) + 1, dropout=args.dropout,
                     head_hidden=args.head_hidden, cand_slots=slots)
    n_params = sum(p.numel() for p in model.parameters())
    print(f"model: {n_params} parameters, config {json.dumps(model.config)}", flush=True)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    rng = np.random.RandomState(args.seed)
    tw = torch.tensor(args.target_weights, dtype=torch.float32)
    tw = None if bool((tw == 1).all()) else tw
    cand_gen = torch.Generator().manual_seed(args.seed)

    best, best_epoch, best_state, bad = None, 0, copy.deepcopy(model.state_dict()), 0
    history = []
    t_train = time.time()
    epochs_run = 0
    for epoch in range(1, args.epochs + 1):
        if (time.time() - t_start) / 60 > args.max_minutes:
            print(f"stopping before epoch {epoch}: time budget of {args.max_minutes} min reached", flush=True)
            break
        te = time.time()
        model.train()
        tot = act_s = item_s = 0.0
        for bi in rng.permutation(len(batches)):
            b = batches[bi]
            vis = candidate_dropout(b, slots, args.cand_set_dropout, args.cand_slot_dropout, cand_gen) if slots else None
            loss, a_l, i_l, n = batch_loss(model, b, trie, tw, args.cross_day_weight, vis)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            tot += loss.item() * n
            act_s += a_l * n
            item_s += i_l * n
        epochs_run = epoch
        rec = {"epoch": epoch, "trainLoss": tot / transitions, "trainActionCE": act_s / transitions,
               "trainItemNLL": item_s / transitions}
        if len(eva):
            m, _, _ = evaluate(model, eva, trie, n_items)
            rec.update({f"val_{k}": v for k, v in m.items()})
            score = m["nll"]
        else:
            score = rec["trainLoss"]
        rec["seconds"] = time.time() - te
        history.append({k: (round(v, 5) if isinstance(v, float) else v) for k, v in rec.items()})
        improved = best is None or score < best - 1e-4
        print(f"epoch {epoch}/{args.epochs}: train loss {rec['trainLoss']:.4f} (action CE "
              f"{rec['trainActionCE']:.4f}, item NLL {rec['trainItemNLL']:.4f})"
              + (f" | val NLL {m['nll']:.4f} (intent {m['intentNll']:.3f}) R@1 {m['recall@1']:.4f} R@10 {m['recall@10']:.4f} "
                 f"R@20 {m['recall@20']:.4f} (seen {m['recallSeen@10']:.3f}, new {m['recallNew@10']:.3f})"
                 if len(eva) else "")
              + f" | {rec['seconds']:.1f}s" + (" *" if improved else ""), flush=True)
        if improved:
            best, best_epoch, bad = score, epoch, 0
            best_state = copy.deepcopy(model.state_dict())
        else:
            bad += 1
            if bad >= args.patience:
                print(f"early stop: no validation improvement for {args.patience} epochs", flush=True)
                break
    train_seconds = time.time() - t_train
    model.load_state_dict(best_state)
    model.eval()
    best_metrics = {}
    if len(eva):
        bm, n_targets, n_seen = evaluate(model, eva, trie, n_items)
        best_metrics = {k: round(v, 5) for k, v in bm.items()}
        best_metrics.update({"users": len(eva), "targets": n_targets, "seenTargets": n_seen,
                             "skippedUsersWithoutTrainEvents": eva.skipped})
        if slots:  # the same model without its candidates: what the conditioning segment itself is worth
            nm, _, _ = evaluate(model, eva, trie, n_items, use_candidates=False)
            cand_info["validationWithoutCandidates"] = {k: round(v, 5) for k, v in nm.items()}
            print(f"validation without candidates: NLL {nm['nll']:.4f} R@1 {nm['recall@1']:.4f} "
                  f"R@10 {nm['recall@10']:.4f} R@20 {nm['recall@20']:.4f}", flush=True)

    # ---- export
    export_onnx(model, out, opset=args.opset)
    # PyTorch checkpoint (config + state_dict) beside the ONNX files: for reloading and the PyTorch bench
    torch.save({"config": model.config, "state_dict": model.state_dict()}, os.path.join(out, "model.pt"))
    with open(os.path.join(out, "sids.tsv"), "w", newline="\n", encoding="utf-8") as f:
        f.write("item_id\tc1\tc2\tc3\tc4\n")
        for it, c in zip(ds.items, codes):
            f.write(f"{_escape(it.id)}\t{c[0]}\t{c[1]}\t{c[2]}\t{c[3]}\n")
    picks, enc_in, h_action, h_prefix, cand_items = parity_inputs(ds, codes, bounds, args.max_len, sid.vocab,
                                                                  candidates, slots)
    with torch.no_grad():
        st = EncoderExport(model)(*[torch.from_numpy(enc_in[n]) for n in encoder_inputs(model)])[0]
    h_state = torch.cat([st, st]).numpy().astype(np.float32)
    write_parity(model, out, enc_in, {"state": h_state, "action": h_action, "prefix": h_prefix},
                 [u.id for u in picks], candidate_items=cand_items)
    parity_diff = check_parity(out)
    print(f"parity: onnxruntime vs PyTorch eager max abs diff {parity_diff:.3g} (both graphs)", flush=True)

    meta = {
        "schema": "rolegen.backbone",
        "version": 1,
        "dataset": ds.name,
        "attribution": ds.attribution,
        "maxLen": args.max_len,
        "dModel": args.d_model,
        "vocab": sid.vocab,
        "actions": list(ACTIONS),
        "gapBoundsSeconds": bounds,
        "padding": "left",
        "files": {"encoder": "encoder.onnx", "head": "head.onnx", "sids": "sids.tsv", "parity": "parity.json"},
        **({"candidateSlots": slots} if slots else {}),
        "intents": sid.intents,
        "sidStats": sid.stats,
        "scoring": "P(i|a) = (1-sigmoid(gate_logits[a])) * prod_k softmax_over_valid_trie_children(logits_k)[c_k] "
                   "+ sigmoid(gate_logits[a]) * sum over history positions holding i of softmax_over_real_positions"
                   "(copy_logits)",
        "training": {
            # the candidate options only where they were used, so a plain model's meta.json stays as it was
            "config": {k: v for k, v in vars(args).items()
                       if k not in ("dataset", "out") and (args.candidates or not k.startswith("cand"))},
            "model": model.config,
            "parameters": n_params,
            "seed": args.seed,
            "epochs": epochs_run,
            "bestEpoch": best_epoch,
            "earlyStopping": "validation mixture NLL of validation-day purchases given action=buy",
            "validation": best_metrics,
            "validationDefinition": "users with validation_items and >= 1 train event; input = their train events "
                                    "(last maxLen); targets = validation_items; next action = buy; full ranking "
                                    "over all items; recall = hits / targets (micro); seen = target in the input",
            "baselines": baselines,
            "history": history,
            "windows": len(windows),
            "transitions": transitions,
            "sidSeconds": round(sid_seconds, 2),
            "trainSeconds": round(train_seconds, 2),
            "totalSeconds": round(time.time() - t_start, 2),
            "parityMaxAbsDiff": parity_diff,
            "onnxOpset": args.opset,
            "torch": torch.__version__,
            "numpy": np.__version__,
            "python": platform.python_version(),
            "trainedOn": "train rows of events.tsv only",
            **({"candidates": cand_info} if cand_info else {}),
        },
    }
    with open(os.path.join(out, "meta.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=1, ensure_ascii=False)
        f.write("\n")
    sizes = {n: os.path.getsize(os.path.join(out, n)) for n in sorted(os.listdir(out))}
    print(f"best epoch {best_epoch}: " + ", ".join(f"{k} {v}" for k, v in best_metrics.items()), flush=True)
    print(f"wrote {out}: " + ", ".join(f"{n} {s / 1e6:.2f} MB" for n, s in sizes.items())
          + f" (total {time.time() - t_start:.0f}s)", flush=True)
    return meta, model


def _escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


if __name__ == "__main__":
    main(sys.argv[1:])
