"""Write the planted-identifier test set in tests/data/names/ (run once; the output is committed).

Copies four example transcripts and adds sentences holding invented names, addresses, phone,
CPR numbers, e-mails and institution names at varied positions (sentence start, lower case,
possessive, hyphenated, inside quotes, after a line break) to the ends of participants'
paragraphs. `planted.yaml` lists every planted identifier with its kind; a test and
benchmarks/bench_names.py measure recall against it. All names are invented.
"""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "names"

# (sentence to add, [(identifier as written, kind), ...])
PLANTS: dict[str, list[tuple[str, list[tuple[str, str]]]]] = {
    "skole1-elev1.md": [
        ("Mette sagde det også til mig.", [("Mette", "person")]),
        ("Min lærer hedder Søren Kjærgaard, og han er sød.", [("Søren Kjærgaard", "person")]),
        ("og så sagde karina, at vi skulle vente.", [("karina", "person")]),
        ("Sofies mor ringede til min mor.", [("Sofies", "person")]),
        ('Hun sagde: "Spørg bare Lotte", og så gik hun.', [("Lotte", "person")]),
        (
            "Jeg var hjemme hos Emma i går, hun bor på Birkevej 12.",
            [("Emma", "person"), ("Birkevej 12", "address")],
        ),
        ("jeg legede med rasmus bagefter.", [("rasmus", "person")]),
        ("Vi går i klasse med Ahmad og Yusuf.", [("Ahmad", "person"), ("Yusuf", "person")]),
        ("Min mors nummer er 12 34 56 78, hvis I skal ringe.", [("12 34 56 78", "phone")]),
        ("Før gik jeg på Nordbyskolen.", [("Nordbyskolen", "institution")]),
        ("Det var Anne-Sofie fra PIT, der hjalp mig.", [("Anne-Sofie", "person")]),
        ("Jeg snakkede med\nMorten om det.", [("Morten", "person")]),
    ],
    "skole2-personale.md": [
        (
            "Pernille og Henrik har taget den opgave.",
            [("Pernille", "person"), ("Henrik", "person")],
        ),
        ("Vi har fået en ny kollega, Trine Holm-Larsen.", [("Trine Holm-Larsen", "person")]),
        ("Det var hr. Vestergaard, der ringede fra forvaltningen.", [("Vestergaard", "person")]),
        (
            "Skriv til mig på jonas.b@skolemail.dk, så sender jeg det.",
            [("jonas.b@skolemail.dk", "email")],
        ),
        ("Ring til koordinatoren på +45 23456789.", [("+45 23456789", "phone")]),
        ("Drengens cpr-nummer, 010203-1234, stod på papiret.", [("010203-1234", "cpr")]),
        (
            "Vi var på besøg på Bakke-skolen for at se deres holddannelse.",
            [("Bakke-skolen", "institution")],
        ),
        ("Claus' klasse var med i forsøget.", [("Claus'", "person")]),
        ("pædagogen, kasper, tog over resten af ugen.", [("kasper", "person")]),
        ("Jeg talte med Ole Bach Sørensen fra PPR om det.", [("Ole Bach Sørensen", "person")]),
        ("Hendes nummer er 28914403.", [("28914403", "phone")]),
        (
            "Mødet var på Søndergade 3, 8000 Aarhus C.",
            [("Søndergade 3", "address"), ("8000 Aarhus C", "address")],
        ),
        ("Fatimas far kom til mødet.", [("Fatimas", "person")]),
        ("Vi lånte lokaler af Søndervang Skole.", [("Søndervang Skole", "institution")]),
        ("Kontaktpersonen, Dorthe, svarer hurtigt.", [("Dorthe", "person")]),
        ("Spørg Niels.", [("Niels", "person")]),
    ],
    "skole3-foraelder2.md": [
        ("Min søn Oliver har det meget bedre nu.", [("Oliver", "person")]),
        (
            "Vi bor på Lille Strandstræde 4B, 2. th., lige ved skolen.",
            [("Lille Strandstræde 4B, 2. th.", "address")],
        ),
        ("Hans cpr-nummer er 2412891234, det skrev de på sedlen.", [("2412891234", "cpr")]),
        ("Min mand, Jesper, var med til mødet.", [("Jesper", "person")]),
        ("Louise Mølgaard Friis var hans lærer i tredje.", [("Louise Mølgaard Friis", "person")]),
        (
            "Du kan skrive til mig på mor.til.oliver@gmail.com.",
            [("mor.til.oliver@gmail.com", "email")],
        ),
        ("Mit nummer er 0045 40 11 22 33.", [("0045 40 11 22 33", "phone")]),
        ("Vi flyttede fra 2100 København Ø for to år siden.", [("2100 København Ø", "address")]),
        ("Han gik i Rosenhøj Børnehave, før vi flyttede.", [("Rosenhøj Børnehave", "institution")]),
        ("gitte fra SFO'en er rigtig god til ham.", [("gitte", "person")]),
        ("Det var Birgittes idé med bogstavhuset.", [("Birgittes", "person")]),
        (
            "Kommunen, altså Aarhus Kommune, betalte for testen.",
            [("Aarhus Kommune", "institution")],
        ),
    ],
    "skole1-skoleleder.md": [
        (
            "Min viceskoleleder, Camilla Rasmussen, står for skemaet.",
            [("Camilla Rasmussen", "person")],
        ),
        ("Frederik og Ida fra PIT holdt oplægget.", [("Frederik", "person"), ("Ida", "person")]),
        ("Man kan ringe til kontoret på 8765 4321.", [("8765 4321", "phone")]),
        ("Lars Thomsens team tog sig af det.", [("Lars Thomsens", "person")]),
        (
            "Forvaltningen ligger på Hybenvænget 7, 8600 Silkeborg.",
            [("Hybenvænget 7", "address"), ("8600 Silkeborg", "address")],
        ),
        ("Vi har lært meget af Vestervang Friskole.", [("Vestervang Friskole", "institution")]),
        ("Eleven, 150675-4821 stod der bare, var ikke registreret.", [("150675-4821", "cpr")]),
        ("Malene fra administrationen har styr på det.", [("Malene", "person")]),
        ("Jeg har talt med Kirsten Dahl om budgettet.", [("Kirsten Dahl", "person")]),
        ("Vores AKT-lærer, Bo, tager mange af de samtaler.", [("Bo", "person")]),
        ("Skriv til ledelsen@vestbyskolen.dk.", [("ledelsen@vestbyskolen.dk", "email")]),
    ],
}


def participant_paragraph_ends(text: str) -> list[int]:
    """Offsets of the ends of participants' (not the interviewer's) paragraph lines."""
    ends, pos = [], 0
    body = text.index("\n---\n", 3) + 5
    for line in text[body:].split("\n"):
        start = body + pos
        pos += len(line) + 1
        if line and not line.startswith(("I:", "[side", "#")) and line[-1] in ".?!)":
            ends.append(start + len(line))
    return ends


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    manifest = []
    for name, plants in PLANTS.items():
        text = (ROOT / "transcripts" / name).read_text(encoding="utf-8")
        ends = participant_paragraph_ends(text)
        # Spread the sentences over the transcript: every k-th participant paragraph.
        step = max(1, len(ends) // (len(plants) + 1))
        chosen = [ends[(i + 1) * step] for i in range(len(plants))]
        for at, (sentence, _) in sorted(zip(chosen, plants, strict=True), reverse=True):
            text = text[:at] + " " + sentence + text[at:]
        (OUT / name).write_text(text, encoding="utf-8")
        for _, items in plants:
            manifest += [{"file": name, "text": t, "kind": k} for t, k in items]
    doc = {"planted": manifest}
    (OUT / "planted.yaml").write_text(
        "# Planted identifiers in the transcripts of this folder (benchmarks/plant_names.py)\n"
        + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    print(f"{len(manifest)} planted identifiers in {len(PLANTS)} files")


if __name__ == "__main__":
    main()
