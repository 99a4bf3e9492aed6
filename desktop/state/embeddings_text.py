"""Plain-text lines of the Embeddings panel: a predicted link's evidence, a neighbour."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.state.embeddings_state import Neighbour
    from kg.embed.evidence import Hop
    from kg.embed.predict import LinkPrediction
    from kg.embed.similar import DuplicateCandidate


def link_title(p: LinkPrediction) -> str:
    return f"{p.head_name} — {p.relation} → {p.tail_name}"


def _hop(hop: Hop, name: Callable[[str], str]) -> str:
    source = (f"{len(hop.relations)} sentence{'s' * (len(hop.relations) != 1)}"
              if hop.relations else "accepted prediction")
    return f"{name(hop.head)} —{hop.label}→ {name(hop.tail)} ({source})"


def evidence_text(p: LinkPrediction, name: Callable[[str], str]) -> str:
    """Why the model might be right: 2-hop paths, shared sentences, shared neighbours."""
    ev = p.evidence
    lines = [link_title(p), f"score {p.score:.3f} · {p.model}", ""]
    if ev.paths:
        lines.append("Paths through the graph:")
        lines += [f"  via {path.via_name}: {_hop(path.first, name)}; "
                  f"{_hop(path.second, name)}" for path in ev.paths]
    if ev.sentences:
        lines.append("Sentences naming both:")
        lines += [f"  {s.document_title or s.document[:12]}: {' '.join(s.text.split())}"
                  for s in ev.sentences]
    if ev.shared_neighbours:
        lines.append("Mentioned with both: "
                     + ", ".join(name(e) for e in ev.shared_neighbours))
    if not ev:
        lines.append("No path, sentence or neighbour joins them: the model's guess alone.")
    return "\n".join(lines)


def neighbour_text(n: Neighbour) -> str:
    return f"{n.cosine:+.2f}  {n.name} [{n.label}]"


def duplicate_text(d: DuplicateCandidate, name: Callable[[str], str]) -> str:
    return f"{d.score:.2f}  {name(d.a)} = {name(d.b)} [{d.label}] · {d.reason}"
