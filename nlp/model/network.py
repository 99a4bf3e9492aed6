"""The joint NER + relation network (torch). Imported only by code that uses a model.

Encoder input = word-piece embeddings + a learned embedding of each word's shape (casing
the uncased tokenizer drops) + a learned embedding of the annotation convention ("domain":
CoNLL-2003's MISC is not CoNLL04's Other), so corpora that disagree can train one model.
NER: a linear layer over each word's first piece (BIO tags). Relations: for an ordered
pair of entities of one sentence, the max-pooled pieces of the
head, the tail and the text between them, plus learned embeddings of both entity types,
go through a small MLP to one of the relation types or "none".
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from nlp.model.features import N_SHAPES


def masked_max(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Max over the positions `mask` selects, per row; zeros where it selects none.

    hidden: (P, L, H); mask: (P, L) bool.
    """
    filled = hidden.masked_fill(~mask.unsqueeze(-1), torch.finfo(hidden.dtype).min)
    out = filled.max(dim=1).values
    return torch.where(mask.any(dim=1, keepdim=True), out, torch.zeros_like(out))


class JointModel(nn.Module):
    def __init__(
        self,
        encoder: Any,
        n_tags: int,
        n_types: int,
        n_relations: int,
        *,
        n_domains: int = 1,
        type_dim: int = 32,
        pair_dim: int = 256,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        hidden = int(encoder.config.hidden_size)
        self.encoder = encoder
        self.shape = nn.Embedding(N_SHAPES, hidden)
        nn.init.zeros_(self.shape.weight)  # start as the plain encoder; learn what case adds
        self.domain = nn.Embedding(max(n_domains, 1), hidden)
        nn.init.zeros_(self.domain.weight)
        self.dropout = nn.Dropout(dropout)
        self.ner = nn.Linear(hidden, n_tags)
        self.types = nn.Embedding(max(n_types, 1), type_dim)
        self.relation = nn.Sequential(
            nn.Linear(3 * hidden + 2 * type_dim, pair_dim),
            nn.GELU(),
            nn.Dropout(dropout),
            nn.Linear(pair_dim, n_relations + 1),  # index 0 = no relation
        )
        self.n_outputs = n_relations + 1

    def encode(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        shape_ids: torch.Tensor,
        domain_ids: torch.Tensor | None = None,
    ) -> torch.Tensor:
        embeds = self.encoder.get_input_embeddings()(input_ids) + self.shape(shape_ids)
        if domain_ids is not None:
            embeds = embeds + self.domain(domain_ids).unsqueeze(1)
        out = self.encoder(inputs_embeds=embeds, attention_mask=attention_mask)
        return self.dropout(out.last_hidden_state)

    def ner_logits(self, hidden: torch.Tensor, word_pos: torch.Tensor) -> torch.Tensor:
        """hidden (B, L, H), word_pos (B, W) index of each word's first piece -> (B, W, T)."""
        index = word_pos.clamp(min=0).unsqueeze(-1).expand(-1, -1, hidden.size(-1))
        return self.ner(torch.gather(hidden, 1, index))

    def relation_logits(self, hidden: torch.Tensor, pairs: torch.Tensor) -> torch.Tensor:
        """pairs (P, 7): window, head start, head end, tail start, tail end (piece offsets,
        end exclusive), head type, tail type -> (P, R + 1)."""
        if pairs.numel() == 0:
            return hidden.new_zeros((0, self.n_outputs))
        rows = hidden[pairs[:, 0]]  # (P, L, H)
        pos = torch.arange(rows.size(1), device=rows.device).unsqueeze(0)
        hs, he, ts, te = (pairs[:, i : i + 1] for i in range(1, 5))
        head = masked_max(rows, (pos >= hs) & (pos < he))
        tail = masked_max(rows, (pos >= ts) & (pos < te))
        lo, hi = torch.minimum(he, te), torch.maximum(hs, ts)
        between = masked_max(rows, (pos >= lo) & (pos < hi))
        feats = torch.cat(
            [head, tail, between, self.types(pairs[:, 5]), self.types(pairs[:, 6])], dim=-1
        )
        return self.relation(feats)
