"""Generate a synthetic corpus of interview transcripts in lfa-qual's format (for benchmarks).

The text is Danish-like prose assembled at random from sentence templates and word lists,
with the themes' vocabulary (compounds, inflections, phrases) sprinkled in, so matching has
real work to do. Pseudonymised roles only; nothing here comes from a real interview.

    .venv/bin/python benchmarks/gen_corpus.py OUT_DIR [--words 1000000] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

SUBJECTS = [
    "vi",
    "de",
    "lærerne",
    "pædagogerne",
    "eleverne",
    "ledelsen",
    "man",
    "jeg",
    "hun",
    "han",
]
VERBS = [
    "taler om",
    "arbejder med",
    "har fokus på",
    "prøver at forstå",
    "har brug for",
    "mangler",
    "diskuterer",
    "har fået",
    "savner",
    "bruger tid på",
    "oplever",
    "ser på",
]
HEADS = [
    "fællesskab",
    "indsats",
    "forløb",
    "møde",
    "samarbejde",
    "sparring",
    "kompetence",
    "trivsel",
    "læring",
    "struktur",
    "klasse",
    "gruppe",
    "hold",
    "plan",
    "tid",
    "opgave",
    "skema",
    "dag",
    "uge",
    "rolle",
]
MODIFIERS = [
    "klasse",
    "skole",
    "elev",
    "lærer",
    "team",
    "forældre",
    "læse",
    "matematik",
    "frikvarter",
    "trivsels",
    "gruppe",
    "morgen",
    "efterårs",
    "forårs",
    "PIT-",
    "ressource",
    "special",
    "inklusions",
]
ENDINGS = ["", "en", "et", "er", "erne", "ene", "s"]
FILLERS = [
    "altså",
    "øh",
    "jo",
    "egentlig",
    "sådan",
    "i hvert fald",
    "ikke",
    "faktisk",
    "nok",
    "bare",
]
PHRASES = [
    "det tager tid",
    "hele klassen",
    "ud af klassen",
    "en fast kontaktperson",
    "børne- og ungesyn",
    "på tværs af skolerne",
    "niveau 2",
    "hjælp til selvhjælp",
    "i en periode",
    "de andre skoler",
]
OTHER = [
    "hverdagen",
    "frokosten",
    "bussen",
    "idrætshallen",
    "computeren",
    "vejret",
    "biblioteket",
    "weekenden",
    "kantinen",
    "lektierne",
]
ROLES = [
    ("SL", "Skoleleder"),
    ("L1", "Skolemedarbejder"),
    ("PIT1", "PIT-medarbejder"),
    ("E1", "Elev 1"),
    ("F1", "Forælder 1"),
]


def noun(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.35:
        return rng.choice(OTHER)
    head = rng.choice(HEADS) + rng.choice(ENDINGS)
    if r < 0.75:
        return rng.choice(MODIFIERS) + head
    return head


def sentence(rng: random.Random) -> str:
    words = [rng.choice(SUBJECTS), rng.choice(VERBS)]
    if rng.random() < 0.4:
        words.append(rng.choice(FILLERS))
    words += ["den", noun(rng)]
    if rng.random() < 0.5:
        words += ["og", noun(rng)]
    if rng.random() < 0.15:
        words += ["fordi", rng.choice(PHRASES)]
    if rng.random() < 0.3:
        words += ["i", noun(rng)]
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice([".", ".", ".", "?", " …"])


def transcript(n: int, words: int, rng: random.Random) -> str:
    school = f"Skole {1 + n % 3}"
    head = [
        "---",
        f"interview: gen-{n:05d}",
        f"school: {school}",
        f"date: 2021-{1 + n % 12:02d}",
        "kind: gruppeinterview",
        "speakers:",
        "  I: {role: Interviewer, interviewer: true}",
    ]
    head += [f"  {label}: {{role: {role}}}" for label, role in ROLES]
    head.append("---")
    body, count, page = [], 0, 1
    body.append(f"[side {page}]")
    while count < words:
        q = sentence(rng)
        body.append(f"I: {q}\n")
        count += len(q.split())
        label = rng.choice(ROLES)[0]
        paragraphs = []
        for _ in range(rng.choice([1, 1, 2, 3])):
            para = " ".join(sentence(rng) for _ in range(rng.randint(2, 9)))
            count += len(para.split())
            paragraphs.append(para)
        body.append(f"{label}: " + "\n\n".join(paragraphs) + "\n")
        if rng.random() < 0.1:
            page += 1
            body.append(f"[side {page}]")
    return "\n".join(head + body) + "\n"


def generate(out: Path, total_words: int, per_file: int = 10_000, seed: int = 1) -> list[Path]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    n = 0
    while n * per_file < total_words:
        path = out / f"gen-{n:05d}.md"
        path.write_text(transcript(n, per_file, rng), encoding="utf-8")
        paths.append(path)
        n += 1
    return paths


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--words", type=int, default=1_000_000)
    ap.add_argument("--per-file", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    paths = generate(args.out, args.words, args.per_file, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} transcripts, {size / 1e6:.1f} MB, to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
