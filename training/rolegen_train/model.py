"""The backbone: a causal transformer over events with an action head, a copy (pointer) path with a gate per next
action, and a level-by-level SID head conditioned on the next action.

Event token = E1[c1] + E2[c2] + E3[c3] + E4[c4] + A[action] + G[gap bucket] + P[slot]. Sequences are LEFT-padded
to maxLen; slot maxLen-1 always holds the most recent event (a training batch may be shorter than maxLen: it then
uses the last slots, which gives exactly the same result since padding never takes part in attention).

With cand_slots > 0 (integration (a) of RoleGen): the reasoner's candidate items are a conditioning segment.
Candidate token = E1[c1] + ... + E4[c4] (the event code embeddings, so a candidate and the same item in the history
look alike) + S (segment) + R[rank]. After the blocks, every position attends once to the candidates it may see,
next to a learned null slot whose value is zero: with no candidates the layer adds exactly nothing, so the model
is the plain backbone there, and the output projection starts at zero so training starts from that model.
"""
from __future__ import annotations

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

NEG = -1e9


class Block(nn.Module):
    def __init__(self, d, heads, ff, dropout):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.ff1 = nn.Linear(d, ff)
        self.ff2 = nn.Linear(ff, d)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, allowed):
        B, T, D = x.shape
        h = self.ln1(x)
        q, k, v = self.qkv(h).split(D, dim=-1)
        dh = D // self.heads
        q = q.reshape(B, T, self.heads, dh).transpose(1, 2)
        k = k.reshape(B, T, self.heads, dh).transpose(1, 2)
        v = v.reshape(B, T, self.heads, dh).transpose(1, 2)
        att = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(dh))
        att = att.masked_fill(~allowed.unsqueeze(1), NEG)
        att = self.drop(torch.softmax(att, dim=-1))
        y = torch.matmul(att, v).transpose(1, 2).reshape(B, T, D)
        x = x + self.drop(self.proj(y))
        x = x + self.drop(self.ff2(self.drop(F.gelu(self.ff1(self.ln2(x))))))
        return x


class SidHead(nn.Module):
    """logits_k = W_k GELU(S_k state + A_k[action] + sum_{j<k} P_kj[code_j] + b_k) + o_k: level k sees only the
    state, the next action and the codes of the levels before it. The pre-activation is additive, so scoring
    every prefix of the trie for a user is cheap."""

    def __init__(self, vocab, d, hidden):
        super().__init__()
        self.vocab = list(vocab)
        self.state_proj = nn.ModuleList([nn.Linear(d, hidden) for _ in range(4)])
        self.action_emb = nn.ModuleList([nn.Embedding(4, hidden) for _ in range(4)])
        self.prefix_emb = nn.ModuleList(
            [nn.ModuleList([nn.Embedding(vocab[j], hidden) for j in range(k)]) for k in range(4)])
        self.out = nn.ModuleList([nn.Linear(hidden, vocab[k]) for k in range(4)])
        for k in range(4):
            nn.init.normal_(self.action_emb[k].weight, std=0.02)
            for e in self.prefix_emb[k]:
                nn.init.normal_(e.weight, std=0.02)

    def pre(self, k, state, action, prefix):
        h = self.state_proj[k](state) + self.action_emb[k](action)
        for j in range(k):
            h = h + self.prefix_emb[k][j](prefix[..., j])
        return h

    def level(self, k, state, action, prefix):
        return self.out[k](F.gelu(self.pre(k, state, action, prefix)))

    def forward(self, state, action, prefix):
        return [self.level(k, state, action, prefix) for k in range(4)]


class Backbone(nn.Module):
    def __init__(self, vocab, d_model=64, layers=2, heads=2, ff=256, max_len=128, n_gaps=10, dropout=0.1,
                 head_hidden=256, cand_slots=0):
        super().__init__()
        self.vocab = list(vocab)
        self.d_model = d_model
        self.max_len = max_len
        self.cand_slots = cand_slots
        self.config = dict(vocab=list(vocab), d_model=d_model, layers=layers, heads=heads, ff=ff, max_len=max_len,
                           n_gaps=n_gaps, dropout=dropout, head_hidden=head_hidden)
        if cand_slots:  # only then, so checkpoints of plain models keep their config (and Backbone(**config) works)
            self.config["cand_slots"] = cand_slots
        self.code_emb = nn.ModuleList([nn.Embedding(v, d_model) for v in vocab])
        self.action_emb = nn.Embedding(4, d_model)
        self.gap_emb = nn.Embedding(n_gaps, d_model)
        self.pos_emb = nn.Embedding(max_len, d_model)
        for e in [*self.code_emb, self.action_emb, self.gap_emb, self.pos_emb]:
            nn.init.normal_(e.weight, std=0.02)
        self.drop = nn.Dropout(dropout)
        self.blocks = nn.ModuleList([Block(d_model, heads, ff, dropout) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d_model)
        self.action_head = nn.Linear(d_model, 4)
        self.gate_head = nn.Linear(d_model, 4)
        self.copy_q = nn.Linear(d_model, d_model)
        self.copy_k = nn.Linear(d_model, d_model)
        self.sid_head = SidHead(vocab, d_model, head_hidden)
        if cand_slots:
            self.cand_seg = nn.Parameter(torch.zeros(d_model))
            self.cand_rank = nn.Embedding(cand_slots, d_model)
            nn.init.normal_(self.cand_rank.weight, std=0.02)
            self.cand_ln = nn.LayerNorm(d_model)
            self.cand_q = nn.Linear(d_model, d_model)
            self.cand_k = nn.Linear(d_model, d_model)
            self.cand_v = nn.Linear(d_model, d_model)
            self.cand_null = nn.Parameter(torch.zeros(d_model))
            # no bias: with no candidates the layer must add nothing at all
            self.cand_out = nn.Linear(d_model, d_model, bias=False)
            nn.init.zeros_(self.cand_out.weight)

    # ------------------------------------------------------------------------------------------------ encoder
    def encode(self, codes, actions, gaps, mask, cand_codes=None, cand_visible=None, cand_rank=None):
        """codes [B,T,4], actions/gaps/mask [B,T] (any int dtype), T <= max_len -> states [B,T,D].
        Candidates (models with cand_slots): cand_codes [B,S,4], cand_visible [B,T,S] bool (which slots position t
        may attend to), cand_rank [S] (each slot's rank, < cand_slots). Training gives a row several candidate
        sets (one per cut point) in S > cand_slots slots, each visible from its cut on; export gives one set."""
        B, T = actions.shape
        codes = codes.long()
        x = self.code_emb[0](codes[..., 0])
        for k in range(1, 4):
            x = x + self.code_emb[k](codes[..., k])
        positions = torch.arange(self.max_len - T, self.max_len, device=actions.device)
        x = x + self.action_emb(actions.long()) + self.gap_emb(gaps.long()) + self.pos_emb(positions)
        x = self.drop(x)
        allowed = self.allowed(mask, self_always=True)
        for blk in self.blocks:
            x = blk(x, allowed)
        if self.cand_slots and cand_codes is not None:
            x = self.condition(x, cand_codes, cand_visible, cand_rank)
        return self.ln_f(x)

    def condition(self, x, cand_codes, cand_visible, cand_rank):
        """x + W_o sum_s a_ts V c_s, softmax over [null, visible slots]; the null slot's value is zero."""
        cand_codes = cand_codes.long()
        c = self.code_emb[0](cand_codes[..., 0])
        for k in range(1, 4):
            c = c + self.code_emb[k](cand_codes[..., k])
        c = self.drop(c + self.cand_seg + self.cand_rank(cand_rank.long()))
        q = self.cand_q(self.cand_ln(x))  # [B,T,D]
        scale = 1.0 / math.sqrt(self.d_model)
        s = torch.matmul(q, self.cand_k(c).transpose(-1, -2)) * scale  # [B,T,S]
        s = s.masked_fill(~cand_visible, NEG)
        s_null = torch.matmul(q, self.cand_null) * scale  # [B,T]
        att = torch.softmax(torch.cat([s_null.unsqueeze(-1), s], dim=-1), dim=-1)[..., 1:]
        y = torch.matmul(self.drop(att), self.cand_v(c))
        return x + self.cand_out(y)

    @staticmethod
    def allowed(mask, self_always):
        """[B,T,T] bool: query t may look at key s (s <= t and s real); self_always keeps padding rows finite."""
        T = mask.shape[1]
        ar = torch.arange(T, device=mask.device)
        causal = ar.unsqueeze(0) <= ar.unsqueeze(1)  # [t, s]: s <= t (comparisons export to plain ONNX ops)
        real = (mask > 0).unsqueeze(1)  # [B,1,T] keys
        a = causal.unsqueeze(0) & real
        if self_always:
            a = a | (ar.unsqueeze(0) == ar.unsqueeze(1)).unsqueeze(0)
        return a

    def copy_scores(self, states):
        """[B,T,T] pointer scores of the state at t over positions s (unmasked)."""
        q = self.copy_q(states)
        k = self.copy_k(states)
        return torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(self.d_model))


class EncoderExport(nn.Module):
    """encoder.onnx: (codes, actions, gaps, mask[, candidates, candidate_mask]) -> state, states, action_logits,
    copy_logits, gate_logits. candidates [B,C,4] (C = cand_slots, best first), candidate_mask [B,C] (1 = a real
    candidate): every position sees every real candidate, as the last position does at inference."""

    def __init__(self, model: Backbone):
        super().__init__()
        self.m = model

    def forward(self, codes, actions, gaps, mask, candidates=None, candidate_mask=None):
        m = self.m
        if m.cand_slots:
            T = mask.shape[1]
            visible = (candidate_mask > 0).unsqueeze(1).expand(-1, T, -1)
            rank = torch.arange(m.cand_slots, device=mask.device)
            states = m.encode(codes, actions, gaps, mask, candidates, visible, rank)
        else:
            states = m.encode(codes, actions, gaps, mask)
        state = states[:, -1, :]
        action_logits = m.action_head(state)
        gate_logits = m.gate_head(state)
        q = m.copy_q(state).unsqueeze(1)  # [B,1,D]
        k = m.copy_k(states)  # [B,T,D]
        copy = torch.matmul(q, k.transpose(-1, -2)).squeeze(1) * (1.0 / math.sqrt(m.d_model))
        copy_logits = torch.where(mask > 0, copy, torch.full_like(copy, NEG))
        return state, states, action_logits, copy_logits, gate_logits


class HeadExport(nn.Module):
    """head.onnx: (state [N,D], action [N], prefix [N,3]) -> logits1..logits4."""

    def __init__(self, model: Backbone):
        super().__init__()
        self.h = model.sid_head

    def forward(self, state, action, prefix):
        a = action.long()
        p = prefix.long()
        l1, l2, l3, l4 = self.h(state, a, p)
        return l1, l2, l3, l4
