"""Known errors of the Danish lemma lookup table (spacy-lookups-data), and their repairs.

The table maps each word form to one lemma, chosen without context; for the forms below it
chose a rare reading over the one interviews use (an adverb read as a verb, a noun read as the
present tense of a verb), or it lacks the word, and our compound repair then guessed nonsense
("coronaen" → "cor" + lemma("onaen")). The evidence shown to a coder then names a word nobody
said ("sværte", "finte"), and keyword and model matching join unrelated words.

Every entry is a lower-case word form → its lemma; the lemmatizer reads this table before the
lookup table. Changing it changes the lemma cache's key, so caches are rebuilt.
"""

from __future__ import annotations

OVERRIDES: dict[str, str] = {
    # Adverbs (neuter adjectives) read as verbs: "godt" is not "godte", "svært" not "sværte".
    "godt": "god",
    "svært": "svær",
    "fint": "fin",
    # "væk" (away) read as the imperative of "vække" (to wake).
    "væk": "væk",
    # "lærer" (teacher) read as the present tense of "lære"; its inflected forms were right.
    "lærer": "lærer",
    # "voksen" (adult) read as "voks" (wax) + article; "voksne" was right.
    "voksen": "voksen",
    "voksens": "voksen",
    # "bøger" (books) read as "bøge" (beeches); "bøgerne" was right.
    "bøger": "bog",
    # Missing from the table; the compound repair would cut it into nonsense.
    "corona": "corona",
    "coronaen": "corona",
    "coronaens": "corona",
}
