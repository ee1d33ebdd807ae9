"""From transcripts to scored, explained suggestions (no store access here).

`Suggester` runs the pipeline over paragraph units in batches (`nlp.pipe`), matches keywords per
token through the cached `KeywordMatcher`, scores each code per unit, adds the learned model's
score for codes it has been trained on, and the similarity of each code's nearest anchor
example (`ExampleIndex`). Every suggestion carries its evidence: the matched words with their
offsets in the transcript text.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from itertools import islice
from operator import attrgetter
from typing import TypeVar

import numpy as np

from lfa_qual.codebook import Codebook
from lfa_qual.collector import fewer_collections
from lfa_qual.nlp import rule_tokenizer
from lfa_qual.nlp.examples import ExampleIndex
from lfa_qual.nlp.learned import LearnedModel, LearnedScores
from lfa_qual.nlp.lemmatize import Lemmatizer
from lfa_qual.nlp.matcher import Keyword, KeywordMatcher, WordInfo
from lfa_qual.nlp.pipeline import FALLBACK, fallback_info, load_pipeline, resolve
from lfa_qual.nlp.specificity import common_weight, document_frequencies
from lfa_qual.nlp.tokens import TokenCache, Tokens, tokens_of_doc
from lfa_qual.nlp.units import LONG_PARAGRAPH_TOKENS, Unit, paragraph_units, windows
from lfa_qual.suggestions import Evidence, ExampleEvidence, NewSuggestion
from lfa_qual.transcript import Transcript

# How much one distinct keyword adds, by how it matched. Phrases are the most specific evidence;
# a compound part or a spelling variant is weaker than the word itself.
WEIGHTS = {"exact": 1.0, "lemma": 1.0, "phrase": 1.3, "compound": 0.8, "fuzzy": 0.5}
REPEAT = 0.25  # each further occurrence of a keyword already counted (at most MAX_REPEATS)
MAX_REPEATS = 2
EXCLUDE = 0.8  # each distinct exclude keyword
ROLE = 0.4  # the speaker has a role the code declares (only with other evidence)
SCALE = 1.5  # score = 1 - exp(-raw / SCALE): one keyword ≈ 0.49, two ≈ 0.74, three ≈ 0.86
# How much a trained model's score counts next to the keywords: it grows with the number of
# coded passages n of the code, LEARNED_MAX * n / (n + LEARNED_HALF); a model trained on a
# handful of passages is noisy (see benchmarks/bench_suggest_quality.py).
LEARNED_MAX = 0.6
LEARNED_HALF = 20
# A code with only the codebook's own texts as examples: how much the model of those texts counts;
# more for a code with anchor examples, whose model has seen how informants talk about it.
SEED_WEIGHT = 0.3
SEED_WEIGHT_EXAMPLES = 0.7
EXAMPLES_FULL = 10  # the weight rises from SEED_WEIGHT to SEED_WEIGHT_EXAMPLES over this many
SEED_KEYWORDS = True  # the codebook-text model also reads the code's keywords
SEED_EXAMPLES = True  # each anchor example of a code is one more codebook-text example of it
# The nearest anchor example: when the codebook has examples, every code's score is the weighted
# mean of its keyword-and-model score (weight 1) and the similarity of its most similar anchor
# example (this weight; 0 for a code without examples). All codes share the scale, so adding an
# example to a code can only raise it against the others.
EXAMPLE_WEIGHT = 0.25
EXAMPLE_WORDS = 4  # the shared words shown as evidence: the most telling ones
# Self-training on a project's own uncoded text: a paragraph whose best code scores at least
# this (with keyword evidence) is one more example of that code for the learned model.
SELF_TRAIN_MIN = 0.65
MODEL_KINDS = ("learned", "example")  # evidence that is not a keyword: never enough to self-train
# Parent and child codes: evidence for a child supports its parent a little, and the parent's
# evidence supports a child that has evidence of its own (the child is the more specific code).
CHILD_TO_PARENT = 0.0
PARENT_TO_CHILD = 0.4
SHOWN_MIN = 0.05  # list the model's or the example's words when they add at least this much
DEFAULT_MIN_SCORE = 0.3
# A suggestion explained by the learned model's words alone (no keyword, no anchor example)
# must score this much above the minimum: on the development passage sets only a quarter of
# them were right at the default threshold (13 % between 0.3 and 0.4, half above), against 70 %
# of those with a keyword; held to +0.1 the micro F1 rose from 0.588 to 0.613, more than hiding
# them all (0.598). See docs/suggestions.md. With --min-score 0 everything is shown.
MODEL_ONLY_MARGIN = 0.1
DEFAULT_TOP = 3
BATCH_SIZE = 256
_LEMMA = attrgetter("lemma")
C = TypeVar("C")  # what travels with a text through tokenising


@dataclass(frozen=True)
class UnitSuggestions:
    unit: Unit
    start: int  # the window's span (a whole paragraph, or a few sentences of a long one)
    end: int
    suggestions: tuple[NewSuggestion, ...]  # best first


@dataclass
class _Window:
    """A window of a unit with its keyword evidence, waiting for the model's scores."""

    unit: Unit
    start: int
    end: int
    infos: list[WordInfo]
    offsets: list[int]
    lemmas: list[str]  # of `infos`
    by_code: dict[str, list]  # code → keyword matches
    raws: dict[str, float]  # code → keyword sum


@dataclass
class Options:
    min_score: float = DEFAULT_MIN_SCORE
    top: int = DEFAULT_TOP
    include_interviewer: bool = False
    batch_size: int = BATCH_SIZE
    # Start the learned model from the codebook's descriptions and inclusion criteria.
    codebook_texts: bool = True


def _pipeline_table(nlp):
    """The pipeline's own lookup table, so it is not loaded (and held) twice."""
    if nlp.has_pipe("lemmatizer"):
        lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
        if lookups is not None and lookups.has_table("lemma_lookup"):
            return lookups.get_table("lemma_lookup").get
    return None


def role_matches(role: str, wanted: Iterable[str]) -> str | None:
    """The codebook role that covers a speaker's role: 'Elev' covers 'Elev 4'."""
    low = role.lower()
    for w in wanted:
        wl = w.lower()
        if low == wl or low.startswith(wl + " "):
            return w
    return None


class Suggester:
    def __init__(
        self,
        codebook: Codebook,
        pipeline: str | None = None,
        *,
        codes: set[str] | None = None,
        model: LearnedModel | None = None,
        options: Options | None = None,
    ) -> None:
        self.options = options or Options()
        self._nlp = None
        self._token_cache: TokenCache | None = None
        if resolve(pipeline) == FALLBACK:
            # Loaded only for a text whose words are not in the token cache (`nlp`): a run on
            # texts seen before does without spaCy.
            self.info = fallback_info()
            self._token_cache = TokenCache.for_fallback()
            self.lemmatize = Lemmatizer(None)
        else:
            self._load(pipeline)
            self.lemmatize = Lemmatizer(_pipeline_table(self._nlp))
        self.matcher = KeywordMatcher(
            codebook, self._keyword_splitter(codebook), self.lemmatize, codes
        )
        self._all_codes = codebook.codes
        self.codes = [c for c in codebook.codes if codes is None or c.id in codes]
        self.roles = {c.id: c.roles for c in self.codes}
        ids = {c.id for c in self.codes}
        self.parent = {c.id: c.parent for c in self.codes if c.parent in ids}
        self._role_of: dict[tuple[str, str], str | None] = {}  # (speaker role, code) → role
        self._weights_key: tuple | None = None
        self._weights: dict[str, float] = {}
        self._texts: list[tuple[str, str, list[str], bool]] | None = None
        self._floor_cols: tuple[tuple, np.ndarray, np.ndarray] | None = None
        self.model = model
        if model is None and self.options.codebook_texts:
            self.model = self.seeded_model()
        self.examples: ExampleIndex | None = None
        if self.options.codebook_texts and EXAMPLE_WEIGHT > 0:
            found = [(c, t, lem) for c, t, lem, is_example in self._codebook_texts() if is_example]
            index = ExampleIndex(found, _commonness())
            self.examples = index if len(index) else None  # a codebook without examples

    def _load(self, pipeline: str | None) -> None:
        self._nlp, info = load_pipeline(pipeline)
        self.info = info  # for the fallback: the same as fallback_info(), set before
        nlp = self._nlp
        # With lookup lemmas we compute (better) lemmas ourselves, once per word form, so the
        # pipeline's own lemmatizer is switched off; a trained pipeline's lemmas are used as is.
        lookup = info.lookup_lemmas and nlp.has_pipe("lemmatizer")
        self.disable = ["lemmatizer"] if lookup else []
        # Sentences are needed only to split long paragraphs into windows: the sentencizer
        # runs on those alone (it costs a quarter of the pipeline on every paragraph).
        self._sentencizer = None
        if nlp.has_pipe("sentencizer"):
            self._sentencizer = nlp.get_pipe("sentencizer")
            self.disable.append("sentencizer")

    def _keyword_splitter(self, codebook: Codebook) -> Callable[[str], list[str]]:
        """Splits a keyword into words as the pipeline splits text: all of the codebook's
        keywords are tokenised at once (one look-up in the token cache, not one each)."""
        texts = list(
            dict.fromkeys(k for c in codebook.codes for k in (*c.keywords, *c.exclude_keywords))
        )
        known = dict(zip(texts, self.tokens(texts), strict=True))

        def split(text: str) -> list[str]:
            tokens = known.get(text) or self.tokens([text])[0]
            return tokens.words(text)

        return split

    @property
    def nlp(self):
        """The spaCy pipeline, loaded on first use."""
        if self._nlp is None:
            self._load(FALLBACK)
        return self._nlp

    def tokens(self, texts: list[str]) -> list[Tokens]:
        """The words of each text: from the token cache, else from the pipeline."""
        found = self._token_cache.get_many(texts) if self._token_cache is not None else {}
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            new = self._tokenize(missing)
            if self._token_cache is not None:
                self._token_cache.put_many(new)
            found.update(new)
        return [found[t] for t in texts]

    def _tokenize(self, texts: list[str]) -> dict[str, Tokens]:
        """Tokens of texts not in the token cache. The fallback pipeline's tokenizer is run
        from its rules without importing spaCy (`rule_tokenizer`) once those rules are checked
        against spaCy, which happens the first time spaCy is loaded here."""
        fallback = self.info.fallback
        port = rule_tokenizer.cached() if fallback and self._nlp is None else None
        if port is not None:
            return {text: port.tokens(text) for text in texts}
        nlp, lemmas = self.nlp, not self.info.lookup_lemmas
        new = {}
        with nlp.select_pipes(disable=self.disable):
            for text, doc in zip(texts, nlp.pipe(texts, batch_size=64), strict=True):
                new[text] = tokens_of_doc(doc, self._sentencizer, lemmas=lemmas)
        if fallback:
            rule_tokenizer.prepare(nlp, texts)
        return new

    def _tokens_of(self, items: Iterable[tuple[str, C]], size: int) -> Iterator[tuple[Tokens, C]]:
        """(tokens, context) for (text, context) items, a batch of `size` at a time."""
        it = iter(items)
        while batch := list(islice(it, size)):
            yield from zip(self.tokens([t for t, _ in batch]), [c for _, c in batch], strict=True)

    def _codebook_texts(self) -> list[tuple[str, str, list[str], bool]]:
        """(code, text, lemmas, is an anchor example) of the codebook's own texts: per code,
        its label, description and inclusion criteria (and keywords), then its anchor examples;
        lemmatised once."""
        if self._texts is None:
            texts = [
                (c.id, f"{c.label}. {c.description} {c.include}" + self._seed_keywords(c), False)
                for c in self.codes
            ]
            texts += [(c.id, example, True) for c in self.codes for example in c.examples]
            lemmas = self._cached_lemmas([t for _, t, _ in texts])
            self._texts = [
                (code, text, lem, is_example)
                for (code, text, is_example), lem in zip(texts, lemmas, strict=True)
            ]
        return self._texts

    def _cached_lemmas(self, texts: list[str]) -> list[list[str]]:
        """`lemmas` of the codebook's texts, kept in the user's cache between runs (a fifth of
        a `suggest` on one file was tokenising and lemmatising them). Only with lookup lemmas:
        then the lemmas follow from the texts, the codebook's keywords (the matcher's word
        analysis), spaCy's tokenizer, the lemma table and our code, all in the key; a trained
        pipeline's lemmas come from its model, which the key could not vouch for."""
        if not self.info.lookup_lemmas:
            return list(self.lemmas(texts))
        from lfa_qual import usercache
        from lfa_qual.nlp import lemma_table, lemmatize, matcher, pipeline

        key = usercache.make_key(
            json.dumps(texts, ensure_ascii=False),
            json.dumps([asdict(c) for c in self._all_codes], ensure_ascii=False),
            json.dumps(sorted(c.id for c in self.codes)),
            self.info.label,
            usercache.package_version("spacy"),
            lemma_table.cache_key(),
            modules=(__file__, matcher.__file__, lemmatize.__file__, pipeline.__file__),
        )
        found = usercache.read_entry("codebook-lemmas", key)
        if (
            isinstance(found, list)
            and len(found) == len(texts)
            and all(isinstance(x, list) and all(isinstance(w, str) for w in x) for x in found)
        ):
            return found
        lemmas = list(self.lemmas(texts))
        usercache.write_entry("codebook-lemmas", key, lemmas)
        return lemmas

    def seeded_model(self) -> LearnedModel:
        """A learned model whose first examples are the codebook's own texts: per code, its
        label, description and inclusion criteria (and keywords) as one passage, and each of
        its anchor examples as a passage of its own."""
        model = LearnedModel()
        for code, _, lemmas, is_example in self._codebook_texts():
            if SEED_EXAMPLES or not is_example:
                model.add(lemmas, [code], seed=True)
        return model

    def self_train(
        self, transcripts: Iterable[Transcript], on_unit: Callable[[], None] | None = None
    ) -> int:
        """Self-training on uncoded text (a project's transcripts): each paragraph or window
        whose best code scores SELF_TRAIN_MIN or more on keyword evidence becomes an example of
        that code for the learned model, which so learns the words that go with a theme's
        keywords in this project's talk. Returns the number of examples added."""
        if self.model is None:
            self.model = self.seeded_model() if self.options.codebook_texts else LearnedModel()
        options = self.options
        self.options = replace(options, min_score=SELF_TRAIN_MIN, top=1)
        picked: list[tuple[str, str]] = []
        try:
            for transcript, results in self.run(transcripts, on_unit):
                for u in results:
                    best = u.suggestions[0]
                    if any(e.kind not in MODEL_KINDS for e in best.evidence):
                        picked.append((transcript.text[u.start : u.end], best.code))
        finally:
            self.options = options
        texts = (text for text, _ in picked)
        for (_, code), lemmas in zip(picked, self.lemmas(texts), strict=True):
            self.model.add(lemmas, [code])
        return len(picked)

    @staticmethod
    def _seed_keywords(code) -> str:
        return (" " + ". ".join(code.keywords)) if SEED_KEYWORDS else ""

    @property
    def pipeline_label(self) -> str:
        return self.info.label

    # -- running ---------------------------------------------------------------------------
    def run(
        self,
        transcripts: Iterable[Transcript],
        on_unit: Callable[[], None] | None = None,
        on_batch: Callable[[Transcript, list[UnitSuggestions], int], None] | None = None,
    ) -> Iterator[tuple[Transcript, list[UnitSuggestions]]]:
        """Suggestions per transcript, streamed: memory holds one batch, not the corpus.
        `on_unit` is called once per paragraph unit read (for progress); `on_batch(transcript,
        results so far, offset)` after each scored batch that reached into a transcript not
        yet finished: its results so far cover its text up to `offset` (units come in text
        order), so a caller can show the first suggestions before the transcript is done."""
        pending: dict[int, tuple[Transcript, list[UnitSuggestions], int]] = {}

        def units() -> Iterator[tuple[str, tuple[int, Unit]]]:
            for n, transcript in enumerate(transcripts):
                found = paragraph_units(transcript, self.options.include_interviewer)
                pending[n] = (transcript, [], len(found))
                for unit in found:
                    yield transcript.text[unit.start : unit.end], (n, unit)

        # Units wait in a buffer until a batch is complete: the model scores a batch at once.
        buffer: list[tuple[int, list[_Window]]] = []

        def flush() -> None:
            found = iter(self._score_windows([w for _, ws in buffer for w in ws]))
            reached: dict[int, int] = {}  # transcript → end of its last unit in the batch
            for n, ws in buffer:
                transcript, done, total = pending[n]
                done.extend(r for r in (next(found) for _ in ws) if r is not None)
                pending[n] = (transcript, done, total - 1)
                if ws:
                    reached[n] = ws[0].unit.end
            buffer.clear()
            if on_batch is not None:
                for n, offset in reached.items():
                    transcript, done, left = pending[n]
                    if left:  # a finished transcript is yielded whole
                        on_batch(transcript, list(done), offset)

        next_out = 0
        with fewer_collections():
            for tokens, (n, unit) in self._tokens_of(units(), self.options.batch_size):
                text = pending[n][0].text[unit.start : unit.end]
                buffer.append((n, self._windows(tokens, unit, text)))
                if on_unit is not None:
                    on_unit()
                if len(buffer) < self.options.batch_size:
                    continue
                flush()
                # Emit finished transcripts in input order (those with no units too).
                while next_out in pending and pending[next_out][2] == 0:
                    t, out, _ = pending.pop(next_out)
                    yield t, out
                    next_out += 1
            flush()
        while next_out in pending:
            t, out, _ = pending.pop(next_out)
            yield t, out
            next_out += 1

    def suggest_passages(
        self, passages: Iterable[tuple[str, str]]
    ) -> Iterator[list[NewSuggestion]]:
        """Suggestions for loose passages given as (text, speaker role), best first; offsets
        are into each passage. Used by the quality benchmark and for quick checks."""

        def items() -> Iterator[tuple[str, tuple[str, Unit]]]:
            for text, role in passages:
                yield text, (text, Unit("", 0, len(text), 1, role, role, -1))

        for tokens, (text, unit) in self._tokens_of(items(), 64):
            found = self._score_windows(self._windows(tokens, unit, text))
            yield spans([r for r in found if r is not None])

    def lemmas(self, texts: Iterable[str]) -> Iterator[list[str]]:
        """The lemmas of each text, as the matcher sees them when it scores (for training the
        learned model: a function word stays itself, as when scoring)."""
        for tokens, text in self._tokens_of(((t, t) for t in texts), 64):
            yield [w.lemma for w in self._infos(tokens, text)]

    def _infos(self, tokens: Tokens, text: str) -> list[WordInfo]:
        """The matcher's analysis of each word (cached per word form); a trained pipeline's
        lemmas depend on context, and are given with the word."""
        info = self.matcher.info
        if tokens.lemmas is None:
            return [info(w) for w in tokens.words(text)]
        return [info(w, lem) for w, lem in zip(tokens.words(text), tokens.lemmas, strict=True)]

    def _windows(self, tokens: Tokens, unit: Unit, text: str) -> list[_Window]:
        """A unit's windows with their keyword evidence: all of it, or a few sentences at a
        time when it is long."""
        infos, offsets = self._infos(tokens, text), tokens.offsets
        n = len(infos)
        if n > LONG_PARAGRAPH_TOKENS:
            starts = tokens.sentences or [0]
            bounds = list(zip(starts, starts[1:] + [n], strict=True))
            spans_ = windows(bounds, n)
        else:
            spans_ = [(0, n)]
        out = []
        for a, b in spans_:
            if a >= b:
                continue
            if len(spans_) == 1:
                start, end = unit.start, unit.end
            else:
                start = unit.start + offsets[a]
                end = unit.start + offsets[b - 1] + len(infos[b - 1].word)
            by_code, raws = self._keywords(infos[a:b], offsets[a:b], unit, text)
            lemmas = list(map(_LEMMA, infos[a:b]))
            out.append(_Window(unit, start, end, infos[a:b], offsets[a:b], lemmas, by_code, raws))
        return out

    def _score_windows(self, windows: list[_Window]) -> list[UnitSuggestions | None]:
        """The suggestions of each window (None where there are none): the model scores all
        the windows at once, then each window's codes are ranked."""
        weights = self._learned_weights()
        learned: list[LearnedScores | None] = [None] * len(windows)
        lemmas = [w.lemmas for w in windows]
        sims = near = None
        if self.examples is not None and windows:
            sims = self.examples.similarities(lemmas)
            near = self.examples.best(sims)
        if self.model is not None and windows:
            # Codes without keyword evidence come back only when the model (with the nearest
            # example) can lift them to the threshold: most codes of most windows are left
            # out at once.
            floor = self._model_floor(len(windows), near)
            learned = self.model.score_many(
                [(ls, w.by_code) for ls, w in zip(lemmas, windows, strict=True)], floor
            )
        out: list[UnitSuggestions | None] = []
        for k, (window, scores) in enumerate(zip(windows, learned, strict=True)):
            nearest = None if sims is None else (sims[k], near[k])
            found = self._rank(window, scores, weights, nearest)
            out.append(
                UnitSuggestions(window.unit, window.start, window.end, tuple(found))
                if found
                else None
            )
        return out

    # -- scoring ---------------------------------------------------------------------------
    # Matches travel as plain tuples (keyword, start, end, word, kind); Evidence records are
    # made only for the suggestions that are kept: most matches score codes that are not shown.
    def evidence(self, infos: list[WordInfo], offsets: list[int], base: int, text: str) -> list:
        """Every keyword match in a window, with offsets `base` + position in `text`."""
        found: list[tuple[Keyword, int, int, str, str]] = []
        for i, info in enumerate(infos):
            if not info.hit:
                continue
            if info.matches:
                s = base + offsets[i]
                e = s + len(info.word)
                for kw, kind in info.matches:
                    found.append((kw, s, e, info.word, kind))
            if not info.phrase_next:
                continue
            for kw in self.matcher.phrases_at(infos, i):
                j = i + len(kw.keys) - 1
                a, b = offsets[i], offsets[j] + len(infos[j].word)
                found.append((kw, base + a, base + b, text[a:b], "phrase"))
        return found

    def _keywords(
        self, infos: list[WordInfo], offsets: list[int], unit: Unit, doc_text: str
    ) -> tuple[dict[str, list], dict[str, float]]:
        """A window's keyword matches by code, and each code's keyword sum."""
        by_code: dict[str, list] = {}
        for match in self.evidence(infos, offsets, unit.start, doc_text):
            by_code.setdefault(match[0].code, []).append(match)
        raws = {code: self._raw(m) for code, m in by_code.items()}
        if self.parent and (CHILD_TO_PARENT or PARENT_TO_CHILD):
            raws, by_code = self._family(raws, by_code)
        return by_code, raws

    def _rank(
        self,
        window: _Window,
        learned: LearnedScores | None,
        weights: dict[str, float],
        nearest: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> list[NewSuggestion]:
        """The window's codes, scored from keywords, role, model and nearest anchor example
        (`nearest`: the window's similarity to each example and each code's best), best
        first."""
        by_code, raws, unit = window.by_code, window.raws, window.unit
        infos, offsets = window.infos, window.offsets
        min_score = self.options.min_score
        ps = learned.p if learned is not None else {}
        codes = set(by_code) | set(ps)
        sim: dict[str, float] = {}
        if nearest is not None:
            sim = dict(zip(self.examples.codes, nearest[1].tolist(), strict=True))
            # A code whose nearest example alone reaches the threshold is a candidate too
            # (with the default threshold none is: a similarity would have to exceed 1).
            alone = min_score * (1 + EXAMPLE_WEIGHT) / EXAMPLE_WEIGHT
            if alone <= 1:
                codes.update(c for c, value in sim.items() if value > 0 and value >= alone)
        candidates = []
        role_of = self._role_of
        for code in codes:
            matches = by_code.get(code, ())
            raw = raws.get(code, 0.0)
            role = None
            if raw > 0:
                key = (unit.role, code)
                if key not in role_of:
                    role_of[key] = role_matches(unit.role, self.roles.get(code, ()))
                role = role_of[key]
                if role is not None:
                    raw += ROLE
            score = 1.0 - math.exp(-raw / SCALE) if raw > 0 else 0.0
            if code in ps:
                weight = weights[code]
                score = (1 - weight) * score + weight * ps[code]
            if nearest is not None:
                score = (score + EXAMPLE_WEIGHT * sim.get(code, 0.0)) / (1 + EXAMPLE_WEIGHT)
            if score > 0 and score >= min_score:
                candidates.append((score, code, matches, role))
        candidates.sort(key=lambda c: (-c[0], c[1]))
        if self.options.top > 0:
            candidates = candidates[: self.options.top]
        results = []
        for score, code, matches, role in candidates:
            evidence = [
                # an exclude keyword is shown with a minus: it made the code less likely
                Evidence(s, e, word, f"-{kw.text}" if kw.exclude else kw.text, kind)
                for kw, s, e, word, kind in sorted(matches, key=_evidence_order)
            ]
            if role is not None:
                if unit.label_start >= 0:
                    s = unit.label_start
                    evidence.append(Evidence(s, s + len(unit.label), unit.label, role, "role"))
                else:  # a loose passage has no speaker label in its text: an empty span
                    evidence.append(Evidence(unit.start, unit.start, "", role, "role"))
            # Its nearest example's words: when the example added noticeably to the score (or,
            # below, when they are the only explanation there is).
            value = sim.get(code, 0.0)
            if value > 0 and EXAMPLE_WEIGHT * value / (1 + EXAMPLE_WEIGHT) >= SHOWN_MIN:
                evidence += self._example_evidence(window, nearest[0], code, evidence)
            # The learned model's words, worked out only for what is shown: when the model
            # moved the score noticeably (the codebook-text model alone barely does), or when
            # they are the only explanation there is.
            if (
                learned is not None
                and code in ps
                and (not evidence or weights[code] * ps[code] >= SHOWN_MIN)
            ):
                shown = {e.start for e in evidence}
                for i, lemma in learned.top(code):
                    s, word = unit.start + offsets[i], infos[i].word
                    if s not in shown:  # a keyword or the example already explains it
                        evidence.append(Evidence(s, s + len(word), word, lemma, "learned"))
            if not evidence and value > 0:
                evidence = self._example_evidence(window, nearest[0], code, evidence)
            if (
                min_score > 0
                and score < min_score + MODEL_ONLY_MARGIN
                and all(e.kind == "learned" for e in evidence)
            ):
                continue  # model words alone: weak evidence, held to a higher threshold
            if evidence:
                results.append(NewSuggestion(0, 0, code, score, tuple(evidence)))
        return results

    def _example_evidence(
        self, window: _Window, sims: np.ndarray, code: str, shown: list[Evidence]
    ) -> list[Evidence]:
        """The words a window shares with the code's most similar anchor example (each word
        once, at its first occurrence; not the words other evidence already explains)."""
        example = self.examples.nearest(sims, code)
        if example is None:
            return []
        taken = {e.start for e in shown}
        lemmas, offsets, base = window.lemmas, window.offsets, window.unit.start
        # The most telling words first (ties: the earlier in the window), first occurrence each.
        weight = self.examples.weight
        found = [(lemmas.index(w), w) for w in example.lemmas.intersection(lemmas)]
        shared = [i for i, _ in sorted(found, key=lambda f: (-weight(f[1]), f[0]))]
        at = [i for i in shared if base + offsets[i] not in taken][:EXAMPLE_WORDS]
        if not at and shared:  # all explained by keywords: one of them names the example
            at = [shared[0]]
        out = []
        for i in sorted(at):
            s, word = base + offsets[i], window.infos[i].word
            out.append(ExampleEvidence(s, s + len(word), word, lemmas[i], "example", example.text))
        return out

    def _model_floor(self, n_windows: int, near: np.ndarray | None) -> np.ndarray:
        """Per window and model column: the model score a code without keywords needs to reach
        the threshold, together with its nearest example when the codebook has examples
        (`near`: windows × the index's codes)."""
        model = self.model
        key = (id(model), model.version, self.options.min_score)
        if self._floor_cols is None or self._floor_cols[0] != key:
            columns = model.columns
            index_codes = self.examples.codes if self.examples is not None else []
            where = {c: j for j, c in enumerate(index_codes)}
            take = np.array([where.get(c, -1) for c in columns], dtype=np.int64)
            weights = self._learned_weights()  # cached per model version
            w = np.array([weights.get(c, 0.0) for c in columns])
            w = np.where(w > 0, w, np.nan)  # a code the model does not weigh: never alone
            self._floor_cols = (key, take, w)
        _, take, w = self._floor_cols
        min_score = self.options.min_score
        if near is None:  # the model alone: the same floor for every window
            floor = np.nan_to_num(min_score / w, nan=math.inf)
            return np.broadcast_to(floor, (n_windows, len(w)))
        a = EXAMPLE_WEIGHT
        # A code without examples (take −1) reads some other column: zeroed here.
        aligned = np.where(take >= 0, near[:, np.maximum(take, 0)], 0.0)
        floor = (min_score * (1 + a) - a * aligned) / w
        return np.nan_to_num(floor, nan=math.inf)

    def _family(self, raws: dict[str, float], by_code: dict[str, list]):
        """Parent and child support each other: a child's evidence counts a little for its
        parent (shown as the parent's evidence too), and a child with evidence of its own gains
        from its parent's, so that the more specific code can rank first."""
        out = None
        for child, parent in self.parent.items():
            rc, rp = raws.get(child, 0.0), raws.get(parent, 0.0)
            if rc <= 0:
                continue
            if out is None:  # most windows have no child code: no copies for them
                out, by_code = dict(raws), dict(by_code)
            out[parent] = out.get(parent, 0.0) + CHILD_TO_PARENT * rc
            if CHILD_TO_PARENT and parent not in by_code:
                by_code[parent] = list(by_code[child])
            out[child] = out[child] + PARENT_TO_CHILD * rp
        return (raws if out is None else out), by_code

    def _learned_weights(self) -> dict[str, float]:
        """How much the model counts per code; it grows with the code's coded passages."""
        model = self.model
        if model is None:
            return {}
        key = (id(model), model.version, self.options.min_score)  # self-training raises it
        if self._weights_key != key:
            self._weights_key = key
            # The codebook texts count as one example (as the first coding would).
            seed = {c.id: seed_weight(len(c.examples) if SEED_EXAMPLES else 0) for c in self.codes}
            self._weights = {
                c: max(
                    seed.get(c, SEED_WEIGHT) if c in model.seeded else 0.0,
                    LEARNED_MAX * n / (n + LEARNED_HALF),
                )
                for c, n in model.n_pos.items()
            }
        return self._weights

    @staticmethod
    def _raw(matches) -> float:
        """The keyword sum of one code in one window (before the role and the model)."""
        best: dict[str, float] = {}
        seen: dict[str, int] = {}
        specific: dict[str, float] = {}
        excluded: set[str] = set()
        for kw, _, _, _, kind in matches:
            if kw.exclude:
                excluded.add(kw.text)
                continue
            weight = WEIGHTS[kind] * kw.weight
            seen[kw.text] = seen.get(kw.text, 0) + 1
            specific[kw.text] = kw.weight
            if weight > best.get(kw.text, 0.0):
                best[kw.text] = weight
        raw = sum(best.values())
        raw += REPEAT * sum(min(n - 1, MAX_REPEATS) * specific[k] for k, n in seen.items())
        raw -= EXCLUDE * len(excluded)
        return max(raw, 0.0)


def _evidence_order(match: tuple) -> tuple:
    """Matches in text order; at one place, by keyword and kind: keywords come from sets, and
    the order must not depend on the process's hash seed."""
    kw, start, end, _, kind = match
    return start, end, kw.text, kind


def _commonness():
    """Lemma → weight of a word by how common it is in interview talk (`specificity`)."""
    n_docs, df = document_frequencies()
    return lambda lemma: common_weight([lemma], n_docs, df)


def seed_weight(n_examples: int) -> float:
    """How much the codebook-text model counts for a code with `n_examples` anchor examples:
    the more of its informants' ways of talking it has seen, the more (one example is not
    enough to outweigh the keywords)."""
    share = min(n_examples, EXAMPLES_FULL) / EXAMPLES_FULL
    return SEED_WEIGHT + (SEED_WEIGHT_EXAMPLES - SEED_WEIGHT) * share


def spans(results: list[UnitSuggestions]) -> list[NewSuggestion]:
    """Flatten to stored suggestions with the window spans filled in."""
    return [
        NewSuggestion(u.start, u.end, s.code, s.score, s.evidence)
        for u in results
        for s in u.suggestions
    ]
