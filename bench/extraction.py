"""Extraction speed with the NER model and on rules alone, and on a feed of mostly unrelated news.

    python bench/extraction.py --sizes 1000 10000

Per-article extraction only (reading, linking and writing are in `bench/run.py`), in one process, so
words/s is per core. Each configuration runs in a fresh interpreter (peak RSS is a life-long peak):
- `cyber`: the synthetic Quad-cyber corpus of `bench/generate.py`;
- `feed`: nine articles in ten of unrelated synthetic news (sport, markets, weather), one in ten cyber.
Every generated article is marked SYNTHETIC and lives only in memory here.

"model reads" is the share of the corpus's words in the sentences handed to the NER model (the rest
of its cost is per word, so it says how the figures would move on text where more names stand
without a rule's signal: about 15% of the words of the real texts in `../shared/realtexts`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.generate import MARK, NOTICE, generate_corpus  # noqa: E402

_TEAMS = ("Harbour City", "Northern Rivers", "Coastline United", "Red Valley", "Hilltop Park", "Ironbark")
_UNRELATED = (
    "{team_a} beat {team_b} {a}-{b} at the weekend, with the winning goal coming in the final minutes of the game.",
    "Coach {given} {family} told reporters the squad had trained hard all week and deserved the points.",
    "Shares in retailers rose {a} per cent on Tuesday after sales figures beat forecasts for the third month.",
    "Forecasters expect heavy rain across the coast on Thursday, with temperatures falling to {b} degrees.",
    "The local council approved a new park and a cycle path along the river after a long public consultation.",
    "Tickets for the festival sold out within hours, organisers said, and extra shows were added for Sunday.",
)


def unrelated_article(rng: random.Random, index: int) -> dict:
    published = date(2024, 1, 1) + timedelta(days=rng.randrange(700))
    values = dict(team_a=rng.choice(_TEAMS), team_b=rng.choice(_TEAMS), a=rng.randrange(1, 9), b=rng.randrange(1, 30),
                  given=rng.choice(("Sam", "Alex", "Jo", "Chris")), family=rng.choice(("Lane", "Moss", "Hart", "Reid")))
    paragraphs = [NOTICE] + [" ".join(rng.choice(_UNRELATED).format(**values) for _ in range(4)) for _ in range(5)]
    return {"title": f"{MARK} Local news {index}", "date": published.isoformat(), "text": "\n\n".join(paragraphs)}


def corpus(kind: str, n: int, seed: int = 7) -> list[dict]:
    if kind == "cyber":
        return generate_corpus(n, seed)
    rng = random.Random(seed)
    cyber = iter(generate_corpus(n // 10 + 1, seed))
    return [next(cyber) if i % 10 == 0 else unrelated_article(rng, i) for i in range(n)]


def measure_once(kind: str, n: int) -> dict:
    from data_pipeline import ner
    from data_pipeline.extract import extract_article
    from data_pipeline.kb import load_kb
    from data_pipeline.model import RawArticle

    kb = load_kb()
    articles = [RawArticle(f"art-{i:016x}", a["title"], a["text"], date.fromisoformat(a["date"]), "record", "bench")
                for i, a in enumerate(corpus(kind, n))]
    words = sum(len(a.text.split()) for a in articles)
    extract_article(articles[0], kb)  # loads the model, outside the timing
    model_words = 0
    person_spans = ner.person_spans

    def counted(text: str, bounds) -> list[tuple[int, int]]:
        nonlocal model_words
        bounds = list(bounds)
        model_words += sum(len(text[start:end].split()) for start, end in bounds)
        return person_spans(text, bounds)

    ner.person_spans = counted  # `entities` calls the model through the module
    started = time.process_time()
    people = sum(len(extract_article(a, kb).entities.people) for a in articles)
    seconds = time.process_time() - started
    ner.person_spans = person_spans
    return {"kind": kind, "articles": n, "words": words, "cpu_seconds": round(seconds, 2),
            "words_per_cpu_second": round(words / seconds), "people": people,
            "model": bool(ner.model_info()), "model_share": model_words / words,
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--child", nargs=2, metavar=("KIND", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure_once(args.child[0], int(args.child[1]))))
        return 0
    print("| corpus | articles | words | extractor | CPU s | words/s per core | model reads | people | peak RSS |")
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|")
    for n in args.sizes:
        for kind in ("cyber", "feed"):
            for ner_setting in ("on", "off"):
                env = {**os.environ, "QUAD_NER": ner_setting}
                run = subprocess.run([sys.executable, __file__, "--child", kind, str(n)], env=env,
                                     capture_output=True, text=True, check=True)
                r = json.loads(run.stdout.strip().splitlines()[-1])
                label = "rules + NER" if r["model"] else "rules only"
                share = f"{r['model_share']:.1%}" if r["model"] else "–"
                print(f"| {kind} | {n:,} | {r['words']:,} | {label} | {r['cpu_seconds']} | {r['words_per_cpu_second']:,} "
                      f"| {share} | {r['people']:,} | {r['peak_rss_mib']} MiB |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
