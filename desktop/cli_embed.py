"""`skein embed` and `skein links`: graph embeddings, predicted links, similar entities."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from desktop.cli_common import EXIT_CANCELLED, EXIT_ERROR, EXIT_OK, drive

if TYPE_CHECKING:
    from kg.embed.predict import LinkPrediction
    from kg.embed.project import ProjectGraph
    from kg.embed.storage import Embedding
    from kg.graph import KnowledgeGraph


def _structure(value: str) -> tuple[str, ...]:
    if value in ("", "none"):
        return ()
    return tuple(part.strip() for part in value.split(",") if part.strip())


def cmd_embed(args: argparse.Namespace) -> int:
    from kg.embed.config import TrainConfig
    from kg.embed.project import train_project
    from kg.embed.storage import EmbeddingError
    from kg.store import Project
    from nlp.progress import Cancelled

    config = TrainConfig(
        model=args.model, dim=args.dim, epochs=args.epochs, batch_size=args.batch_size,
        learning_rate=args.lr, loop=args.loop, loss=args.loss, negatives=args.negatives,
        seed=args.seed,
    )
    try:
        with Project.open(args.project, backups=False) as project:
            info = drive(lambda cancel: train_project(
                project, config, name=args.name, structure=args.structure,
                held_out=args.held_out, cancel=cancel))
    except Cancelled:
        print("cancelled: no embedding was saved", file=sys.stderr)
        return EXIT_CANCELLED
    except EmbeddingError as e:
        print(f"skein: {e}", file=sys.stderr)
        return EXIT_ERROR
    m, counts = info.metrics, info.meta.get("counts", {})
    if args.json:
        print(json.dumps({"name": info.name, "path": str(info.path), "model": config.model,
                          "metrics": m.to_json(), "counts": counts,
                          "seconds": info.meta.get("seconds")}, indent=1))
        return EXIT_OK
    print(f"saved {info.path}")
    print(f"  {config.model}, dim {config.dim}, {config.epochs} epochs ({config.loop}), "
          f"seed {config.seed}: {counts.get('training', 0)} training triples, "
          f"{counts.get('entities', 0)} entities, {info.meta.get('seconds')} s")
    if m.triples:
        print(f"  held-out facts: {m.triples}  MRR {m.mrr:.3f}  Hits@1 {m.hits_at_1:.3f}  "
              f"Hits@3 {m.hits_at_3:.3f}  Hits@10 {m.hits_at_10:.3f} (filtered, both sides)")
        if m.triples < 20:
            print(f"  note: {m.triples} held-out facts are too few for the metrics to mean much")
    else:
        print("  too few facts to hold any out: no metrics")
    return EXIT_OK


def _entity(graph: KnowledgeGraph, text: str) -> str:
    if text in graph:
        return text
    found = [e for e in graph.entities() if e.name.casefold() == text.casefold()
             or any(a.casefold() == text.casefold() for a in e.aliases)]
    if not found:
        raise ValueError(f"no entity named {text!r} (use `skein search`)")
    if len(found) > 1:
        raise ValueError(f"{text!r} names {len(found)} entities: "
                         + ", ".join(f"{e.id} [{e.label}]" for e in found))
    return found[0].id


def _name(graph: KnowledgeGraph, entity: str) -> str:
    return graph.entity(entity).name if entity in graph else entity


def _show(rank: int, p: LinkPrediction, graph: KnowledgeGraph) -> None:
    print(f"{rank:>3}. {p.score:9.4f}  {p.head_name} -{p.relation}-> {p.tail_name}"
          f"   ({p.head} {p.tail})")
    for path in p.evidence.paths:
        hops = []
        for h in (path.first, path.second):
            source = f" (relations {', '.join(map(str, h.relations))})" if h.relations else (
                " (accepted prediction)")
            hops.append(f"{_name(graph, h.head)} -{h.label}-> {_name(graph, h.tail)}{source}")
        print(f"       path via {path.via_name}: {hops[0]}; {hops[1]}")
    for s in p.evidence.sentences:
        print(f"       sentence {s.sentence} of {s.document_title or s.document[:12]}: "
              f"{' '.join(s.text.split())[:160]}")
    if p.evidence.shared_neighbours:
        names = [_name(graph, e) for e in p.evidence.shared_neighbours]
        print(f"       shared neighbours: {', '.join(names)}")


def _decide(args: argparse.Namespace, project: Any, graph: KnowledgeGraph) -> int:
    from kg.embed.decisions import decide

    triple, decision = (args.accept, "accepted") if args.accept else (args.reject, "rejected")
    head, relation, tail = _entity(graph, triple[0]), triple[1], _entity(graph, triple[2])
    d = decide(project, head, relation, tail, decision, user=args.user or getpass.getuser(),
               model=args.model)
    print(f"{d.decision}: {graph.entity(head).name} -{relation}-> {graph.entity(tail).name}")
    return EXIT_OK


def cmd_links(args: argparse.Namespace) -> int:
    from kg.embed.project import is_current, load_for_project, read_graph
    from kg.embed.storage import EmbeddingError
    from kg.store import Project

    try:
        with Project.open(args.project, backups=False) as project:
            pg = read_graph(project)
            if args.accept or args.reject:
                return _decide(args, project, pg.graph)
            embedding = load_for_project(project, args.model)
    except EmbeddingError as e:
        print(f"skein: {e}", file=sys.stderr)
        return EXIT_ERROR
    info = embedding.info
    if not is_current(info, pg):
        print(f"note: the graph changed since '{info.name}' was trained ({info.created_at}); "
              "run `skein embed` again to include new entities and facts", file=sys.stderr)
    if args.similar:
        _similar(args, embedding, pg.graph)
    elif args.duplicates:
        _duplicates(args, embedding, pg.graph)
    else:
        _predictions(args, embedding, pg)
    return EXIT_OK


def _print_json(items: list[Any]) -> None:
    print(json.dumps([asdict(x) for x in items], ensure_ascii=False, indent=1))


def _similar(args: argparse.Namespace, embedding: Embedding, graph: KnowledgeGraph) -> None:
    from kg.embed.similar import nearest

    entity = _entity(graph, args.similar)
    if entity not in embedding.entity_to_id:
        raise ValueError(f"{args.similar!r} was not in the graph when "
                         f"'{embedding.info.name}' was trained")
    found = nearest(embedding, entity, args.top, among={e.id for e in graph.entities()})
    if args.json:
        _print_json(found)
        return
    for n in found:
        e = graph.entity(n.entity)
        print(f"{n.cosine:7.3f}  {e.name} [{e.label}] {e.id}")


def _duplicates(args: argparse.Namespace, embedding: Embedding,
                graph: KnowledgeGraph) -> None:
    from kg.embed.similar import duplicate_pairs

    found = duplicate_pairs(embedding, graph.entities(), args.top)
    if args.json:
        _print_json(found)
        return
    if not found:
        print("no duplicate candidates", file=sys.stderr)
    for d in found:
        print(f"{d.score:7.3f}  {_name(graph, d.a)} = {_name(graph, d.b)} [{d.label}]  "
              f"{d.reason}  ({d.a} {d.b})")


def _predictions(args: argparse.Namespace, embedding: Embedding, pg: ProjectGraph) -> None:
    from kg.embed.predict import predict

    found = predict(embedding, pg, top=args.top, relations=args.relation or None)
    if args.json:
        _print_json(found)
        return
    if not found:
        print("no links to suggest", file=sys.stderr)
    for rank, prediction in enumerate(found, 1):
        _show(rank, prediction, pg.graph)


def add_commands(sub: Any) -> None:
    from kg.embed.config import DEFAULT_STRUCTURE, LOOPS, TrainConfig

    d = TrainConfig()
    e = sub.add_parser(
        "embed", help="train a graph embedding (PyKEEN) for link prediction",
        description="Train a knowledge-graph embedding of the project's graph, rank held-out "
        "facts (filtered MRR, Hits@k) and save it beside the project as safetensors + JSON "
        "(<project>.embeddings/<name>/). Ctrl-C cancels; nothing is saved then.",
    )
    e.add_argument("--project", "-p", required=True)
    e.add_argument("--model", default=d.model,
                   help="a PyKEEN model: TransE, RotatE, ComplEx, DistMult, ... "
                        f"(default {d.model})")
    e.add_argument("--name", help="the saved embedding's name (default: the model, lower case)")
    e.add_argument("--epochs", type=int, default=d.epochs)
    e.add_argument("--dim", type=int, default=d.dim)
    e.add_argument("--seed", type=int, default=d.seed)
    e.add_argument("--loop", default=d.loop, choices=LOOPS)
    e.add_argument("--lr", type=float, default=d.learning_rate)
    e.add_argument("--batch-size", type=int, default=d.batch_size)
    e.add_argument("--negatives", type=int, default=d.negatives,
                   help="negative samples per fact (slcwa)")
    e.add_argument("--loss", default=None, help="a PyKEEN loss (default: the model's own)")
    e.add_argument("--structure", type=_structure, default=DEFAULT_STRUCTURE,
                   help="structural triples added to the facts: 'mentions', 'cooccurrence', "
                        "both comma-separated (default) or 'none'")
    e.add_argument("--held-out", type=float, default=0.1,
                   help="share of the facts held out for the metrics (default 0.1)")
    e.add_argument("--json", action="store_true")
    e.set_defaults(func=cmd_embed)

    k = sub.add_parser(
        "links", help="predicted links with their evidence; similar entities; duplicates",
        description="Rank links the graph does not hold yet (ontology relations between "
        "entities of the right types; rejected ones never come back), each with the facts "
        "and sentences that support it. --similar and --duplicates use the same embedding; "
        "--accept/--reject record a person's verdict.",
    )
    k.add_argument("--project", "-p", required=True)
    k.add_argument("--model", help="the embedding's name (default: the newest)")
    k.add_argument("--top", type=int, default=20)
    k.add_argument("--relation", action="append", default=[],
                   help="only this relation (repeatable), e.g. Work_For")
    what = k.add_mutually_exclusive_group()
    what.add_argument("--similar", metavar="ENTITY",
                      help="entities nearest to ENTITY (a name or an entity id)")
    what.add_argument("--duplicates", action="store_true",
                      help="same-type pairs close in embedding space with similar names")
    what.add_argument("--accept", nargs=3, metavar=("HEAD", "RELATION", "TAIL"))
    what.add_argument("--reject", nargs=3, metavar=("HEAD", "RELATION", "TAIL"))
    k.add_argument("--user", help="who decides (default: the login name)")
    k.add_argument("--json", action="store_true")
    k.set_defaults(func=cmd_links)
