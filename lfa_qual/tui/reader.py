"""The transcript reader: a read-only, line-based view with a cursor, selection and coded spans.

Built on Textual's line API (`ScrollView.render_line`, as toolong does for big logs): only the
visible lines are rendered, so a 30,000-word transcript opens and repaints as fast as a short one.
The text is soft-wrapped into visual lines by `layout.Layout`; all positions are code-point
offsets into `Transcript.text`, the same offsets the store uses.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from lfa_qual.codebook import Codebook
from lfa_qual.codings import Coding
from lfa_qual.transcript import Transcript
from lfa_qual.tui import layout
from lfa_qual.tui.layout import Layout

NameFinder = Callable[[int, int], list[tuple[int, int]]]
ROLE_WIDTH = 12
GUTTER = 4  # up to three code marks and a space


def text_width(view_width: int) -> int:
    """The width the text wraps at in a view `view_width` columns wide."""
    return max(8, view_width - ROLE_WIDTH - GUTTER - 1)


SELECTION = Style(reverse=True)
CURSOR = Style(reverse=True, bold=True)
SUGGESTION = Style(underline=True, color="yellow")
EVIDENCE = Style(bold=True, underline=True, color="black", bgcolor="yellow")
OVERLAP = Style(underline=True)
REVIEW = Style(italic=True)
NAME = Style(bold=True, underline=True, color="bright_red")  # a suspected name (lfa_qual.names)
PAGE = Style(dim=True, bold=True)
ROLE = Style(bold=True)


@dataclass(frozen=True)
class Mark:
    """A highlighted span: a coding or a suggestion."""

    start: int
    end: int
    code: str
    review: bool = False


def _bg(color: str) -> str:
    # Codes' colours are bright; darken them so the text on them stays readable.
    return Color.parse(color).blend(Color(0, 0, 0), 0.45).hex


class TranscriptView(ScrollView, can_focus=True):
    """Read-only transcript with keyboard and mouse selection."""

    BINDINGS = [
        Binding("up", "move_line(-1)", "Up", show=False),
        Binding("down", "move_line(1)", "Down", show=False),
        Binding("left", "move(-1)", "Left", show=False),
        Binding("right", "move(1)", "Right", show=False),
        Binding("shift+up", "move_line(-1, True)", "Extend up", show=False),
        Binding("shift+down", "move_line(1, True)", "Extend down", show=False),
        Binding("shift+left", "move(-1, True)", "Extend left", show=False),
        Binding("shift+right", "move(1, True)", "Extend right", show=False),
        Binding("ctrl+left", "word(-1)", "Word left", show=False),
        Binding("ctrl+right", "word(1)", "Word right", show=False),
        Binding("ctrl+shift+left", "word(-1, True)", "Extend word left", show=False),
        Binding("ctrl+shift+right", "word(1, True)", "Extend word right", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "line_edge(0)", "Line start", show=False),
        Binding("end", "line_edge(1)", "Line end", show=False),
        Binding("ctrl+home", "doc_edge(0)", "Top", show=False),
        Binding("ctrl+end", "doc_edge(1)", "Bottom", show=False),
        Binding("w", "extend('word')", "Select word (again: extend)", show=False, id="select.word"),
        Binding(
            "s",
            "extend('sentence')",
            "Select sentence (again: extend)",
            show=False,
            id="select.sentence",
        ),
        Binding(
            "p",
            "extend('paragraph')",
            "Select paragraph (again: extend)",
            show=False,
            id="select.paragraph",
        ),
        Binding("t", "extend('turn')", "Select turn (again: extend)", show=False, id="select.turn"),
        Binding("v", "mark", "Mark a selection start", show=False, id="select.mark"),
        Binding("escape", "clear", "Clear selection", show=False),
    ]

    class Moved(Message):
        """The cursor or the selection changed."""

    def __init__(self, transcript: Transcript, codebook: Codebook, **kw) -> None:
        super().__init__(**kw)
        self.transcript = transcript
        self.codebook = codebook
        self.text = transcript.text
        self.first = layout.body_start(self.text)
        # Lay out for the likely width now; a resize to another width lays out again (a guess
        # one column short laid a 30,000-word transcript out twice on every opening).
        width = self.app.size.width - (34 if self.app.size.width >= 100 else 0)
        self.lines = Layout(self.text, text_width(width), self.first)
        self.cursor = self.first
        self.anchor_at: int | None = None
        self.marks: list[Mark] = []
        self.suggestion: Mark | None = None
        self.evidence: list[tuple[int, int]] = []
        self.name_finder: NameFinder | None = None
        self._name_cache: dict[int, tuple[tuple[int, int], ...]] = {}
        self._paragraphs = [(p.start, p.end) for t in transcript.turns for p in t.paragraphs]
        self._para_starts = [p[0] for p in self._paragraphs]
        self._want_col: int | None = None
        self._units: dict[str, list[tuple[int, int]]] = {}
        self._turn_start_list = [t.start for t in transcript.turns]
        self._shown = (self.cursor, self.cursor)
        self.on_moved = None  # a callback for the screen, called after every move
        self._base: Style | None = None
        self._line_cache: dict[tuple, Strip] = {}
        self.set_codings([])
        self._styles: dict[str, Style] = {}
        self._dragging = False

    # -- data --------------------------------------------------------------------------
    def set_codings(self, codings: list[Coding]) -> None:
        old = set(getattr(self, "marks", []))
        self.marks = sorted(
            (Mark(c.start, c.end, c.code, c.status == "needs_review") for c in codings),
            key=lambda m: (m.start, m.end),
        )
        self._mark_starts = [m.start for m in self.marks]
        self._longest = max((m.end - m.start for m in self.marks), default=0)
        # Repaint only the lines of codings that came or went (one, after a key press).
        changed = old.symmetric_difference(self.marks)
        if len(changed) > 20:
            self.refresh()
        for m in changed if len(changed) <= 20 else ():
            self.refresh_span(m.start, m.end)

    def set_suggestion(self, mark: Mark | None, evidence: list[tuple[int, int]]) -> None:
        for old in (self.suggestion, mark):
            if old is not None:
                self.refresh_span(old.start, old.end)
        self.suggestion = mark
        self.evidence = evidence

    def set_name_finder(self, finder: NameFinder | None) -> None:
        """Mark suspected names (lfa_qual.names): `finder(start, end)` gives the suspects of one
        paragraph. It is asked lazily, per paragraph when a line of it is drawn, and cached,
        so opening a long transcript costs only its visible paragraphs."""
        self.name_finder = finder
        self._name_cache.clear()
        self._line_cache.clear()
        self.refresh()

    def names_between(self, start: int, end: int) -> tuple[tuple[int, int], ...]:
        if self.name_finder is None:
            return ()
        paras = self._paragraphs
        i = max(0, bisect.bisect_right(self._para_starts, start) - 1)
        out: list[tuple[int, int]] = []
        while i < len(paras) and paras[i][0] < end:
            ps, pe = paras[i]
            if pe > start:
                spans = self._name_cache.get(i)
                if spans is None:
                    spans = self._name_cache[i] = tuple(self.name_finder(ps, pe))
                out += [x for x in spans if x[0] < end and x[1] > start]
            i += 1
        return tuple(out)

    @property
    def name_marks(self) -> list[tuple[int, int]]:
        """Every suspect of the transcript (all paragraphs asked)."""
        return list(self.names_between(self.first, len(self.text)))

    def refresh_span(self, start: int, end: int) -> None:
        """Repaint the visual lines showing start..end."""
        if not self.is_mounted:
            return
        first, last = self.lines.line_of(start), self.lines.line_of(end)
        top = self.scroll_offset.y
        height = self.size.height
        first, last = max(first, top), min(last, top + height)
        if first <= last:
            self.refresh_lines(first, last - first + 1)

    def marks_between(self, start: int, end: int) -> list[Mark]:
        """Codings overlapping start..end (or containing `start` when the span is empty)."""
        if not self.marks:
            return []
        lo = bisect.bisect_left(self._mark_starts, start - self._longest)
        hi = bisect.bisect_right(self._mark_starts, max(start, end - 1) if end > start else start)
        return [
            m
            for m in self.marks[lo:hi]
            if (m.start < end and m.end > start) or (start == end and m.start <= start < m.end)
        ]

    def style_for(self, code: str) -> Style:
        style = self._styles.get(code)
        if style is None:
            c = self.codebook.by_id.get(code)
            style = Style(bgcolor=_bg(c.color if c else "#888888"))
            self._styles[code] = style
        return style

    # -- selection --------------------------------------------------------------------
    @property
    def selection(self) -> tuple[int, int] | None:
        if self.anchor_at is None or self.anchor_at == self.cursor:
            return None
        return (min(self.anchor_at, self.cursor), max(self.anchor_at, self.cursor))

    def select(self, start: int, end: int) -> None:
        self.anchor_at, self.cursor = start, end
        self._changed()

    def move_to(self, offset: int, *, extend: bool = False) -> None:
        offset = max(self.first, min(offset, len(self.text)))
        if extend and self.anchor_at is None:
            self.anchor_at = self.cursor
        elif not extend:
            self.anchor_at = None
        self.cursor = offset
        self._changed()

    def _changed(self) -> None:
        top = self.scroll_offset.y
        self.scroll_to_cursor()
        sel = self.selection or (self.cursor, self.cursor)
        old = self._shown
        self._shown = sel
        if self.scroll_offset.y != top:
            self.refresh()
        else:
            # Only the lines between the old and the new ends of the selection change.
            self.refresh_span(min(old[0], sel[0]), max(old[0], sel[0]))
            self.refresh_span(min(old[1], sel[1]), max(old[1], sel[1]))
        if self.on_moved is not None:
            self.on_moved()  # the same frame as the view: no second repaint
        else:
            self.post_message(self.Moved())

    def show_span(self, start: int, end: int) -> None:
        """Scroll so that start..end is in view, a third from the top when it was not."""
        first, last = self.lines.line_of(start), self.lines.line_of(end)
        top, height = self.scroll_offset.y, max(1, self.scrollable_content_region.height)
        if first < top or last >= top + height:
            target = first - height // 3 if last - first < height * 2 // 3 else first
            self.scroll_to(y=max(0, target), animate=False, immediate=True)
            self.refresh()

    def scroll_to_cursor(self, center: bool = False) -> None:
        line = self.lines.line_of(self.cursor)
        height = max(1, self.scrollable_content_region.height)
        top = self.scroll_offset.y
        if center:
            self.scroll_to(y=max(0, line - height // 3), animate=False, immediate=True)
        elif line < top:
            self.scroll_to(y=line, animate=False, immediate=True)
        elif line >= top + height:
            self.scroll_to(y=line - height + 1, animate=False, immediate=True)

    def units(self, kind: str) -> list[tuple[int, int]]:
        if kind not in self._units:
            t = self.transcript
            if kind == "word":
                units = [
                    (m.start(), m.end()) for m in layout.WORD_RE.finditer(self.text, self.first)
                ]
            elif kind == "sentence":
                units = [s for p in layout.paragraphs(t) for s in layout.sentences(self.text, p)]
            elif kind == "paragraph":
                units = layout.paragraphs(t)
            else:
                units = layout.turns(t)
            self._units[kind] = units
        return self._units[kind]

    # -- actions ----------------------------------------------------------------------
    def action_move(self, delta: int, extend: bool = False) -> None:
        self._want_col = None
        self.move_to(self.cursor + delta, extend=extend)

    def action_move_line(self, delta: int, extend: bool = False) -> None:
        line, col = self.lines.location(self.cursor)
        if self._want_col is None:
            self._want_col = col
        want = self._want_col
        self.move_to(self.lines.offset(line + delta, want), extend=extend)
        self._want_col = want

    def action_page(self, delta: int) -> None:
        self.action_move_line(delta * max(1, self.scrollable_content_region.height - 2))

    def action_word(self, delta: int, extend: bool = False) -> None:
        if delta > 0:
            target = layout.next_word_end(self.text, self.cursor)
        else:
            target = layout.prev_word_start(self.text, self.cursor)
        self.move_to(target, extend=extend)

    def action_line_edge(self, edge: int) -> None:
        line = self.lines.line_of(self.cursor)
        self.move_to(self.lines.ends[line] if edge else self.lines.starts[line])

    def action_doc_edge(self, edge: int) -> None:
        self.move_to(len(self.text) if edge else self.first)

    def action_extend(self, kind: str) -> None:
        start, end = layout.extend(self.units(kind), self.selection, self.cursor)
        self.select(start, end)

    def action_mark(self) -> None:
        self.anchor_at = None if self.anchor_at is not None else self.cursor
        self._changed()

    def action_clear(self) -> None:
        self.anchor_at = None
        self._changed()

    # -- mouse ------------------------------------------------------------------------
    def _offset_at(self, event: events.MouseEvent) -> int:
        line = event.y + self.scroll_offset.y
        col = event.x - ROLE_WIDTH - GUTTER
        return self.lines.offset(line, col)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self.focus()
        self._dragging = True
        self.capture_mouse()
        self.move_to(self._offset_at(event))
        self.anchor_at = self.cursor

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._dragging:
            self.cursor = max(self.first, self._offset_at(event))
            self._changed()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        self._dragging = False
        self.release_mouse()

    # -- layout and rendering ---------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        self._relayout()

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width or self.size.width
        if text_width(width) != self.lines.width:
            self.lines = Layout(self.text, text_width(width), self.first)
            self._line_cache.clear()
        self.virtual_size = Size(width, len(self.lines))
        self.scroll_to_cursor()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        width = self.size.width
        base = self._base
        if base is None:  # computing rich_style walks the DOM: once per style change
            base = self._base = self.rich_style
        if index >= len(self.lines):
            return Strip.blank(width, base)
        s, e = self.lines.starts[index], self.lines.ends[index]
        # A line looks the same until the codings, the suggestion, or the part of the selection
        # or the cursor on it change: cache it under exactly that key.
        sel = self.selection
        clip = (max(sel[0], s), min(sel[1], e)) if sel and sel[0] <= e and sel[1] >= s else None
        cursor = self.cursor if sel is None and s <= self.cursor <= e else None
        marks = tuple(self.marks_between(s, max(e, s + 1)))
        sug = self.suggestion
        sug_key = (sug, tuple(self.evidence)) if sug and sug.start <= e and sug.end >= s else None
        names = self.names_between(s, max(e, s + 1))
        key = (index, width, self.lines.width, marks, sug_key, clip, cursor, self.has_focus, base)
        key += (names,)
        strip = self._line_cache.get(key)
        if strip is None:
            if len(self._line_cache) > 4000:
                self._line_cache.clear()
            segments = [self._role_cell(s, e, base), *self._gutter(s, e, base)]
            segments += self._text_segments(s, e, base)
            strip = self._line_cache[key] = Strip(segments).crop_extend(0, width, base)
        return strip

    def _role_cell(self, s: int, e: int, base: Style) -> Segment:
        role = ""
        i = bisect.bisect_left(self._turn_start_list, s)
        if i < len(self._turn_start_list) and self._turn_start_list[i] < max(e, s + 1):
            t = self.transcript.turns[i]
            sp = self.transcript.speakers.get(t.label)
            role = sp.role if sp else t.label
        if len(role) > ROLE_WIDTH - 1:
            role = role[: ROLE_WIDTH - 2] + "…"
        return Segment(role.ljust(ROLE_WIDTH), base + ROLE)

    def _gutter(self, s: int, e: int, base: Style) -> list[Segment]:
        marks = self.marks_between(s, max(e, s + 1))
        codes: list[Mark] = []
        for m in marks:
            if m.code not in {c.code for c in codes}:
                codes.append(m)
        out = []
        for m in codes[:3]:
            c = self.codebook.by_id.get(m.code)
            color = c.color if c else "#888888"
            out.append(Segment("!" if m.review else "▌", base + Style(color=color, bold=True)))
        if len(codes) > 3:
            out[-1] = Segment("+", base + Style(bold=True))
        out.append(Segment(" " * (GUTTER - len(out)), base))
        return out

    def _text_segments(self, s: int, e: int, base: Style) -> list[Segment]:
        text = self.text
        if s == e:
            if self.cursor == s and self.selection is None and self.has_focus:
                return [Segment(" ", base + CURSOR)]
            return []
        line = text[s:e]
        if line.startswith("[side ") and line.rstrip().endswith("]"):
            return [Segment(line, base + PAGE)]
        # Collect every span that styles part of this line, then cut at their edges.
        spans: list[tuple[int, int, Style]] = []
        marks = self.marks_between(s, e)
        for m in marks:
            style = self.style_for(m.code) + (REVIEW if m.review else Style())
            spans.append((m.start, m.end, style))
        if len(marks) > 1:
            for i, a in enumerate(marks):
                for b in marks[i + 1 :]:
                    lo, hi = max(a.start, b.start), min(a.end, b.end)
                    if lo < hi:
                        spans.append((lo, hi, OVERLAP))
        if self.suggestion and self.suggestion.start < e and self.suggestion.end > s:
            spans.append((self.suggestion.start, self.suggestion.end, SUGGESTION))
            for es, ee in self.evidence:
                if es < e and ee > s:
                    spans.append((es, ee, EVIDENCE))
        spans += [(a, b, NAME) for a, b in self.names_between(s, e)]
        sel = self.selection
        if sel and sel[0] < e and sel[1] > s:
            spans.append((sel[0], sel[1], SELECTION))
        if sel is None and s <= self.cursor < e and self.has_focus:
            spans.append((self.cursor, self.cursor + 1, CURSOR))
        if not spans:
            return [Segment(line, base)]
        cuts = {s, e}
        for a, b, _ in spans:
            cuts.add(min(max(a, s), e))
            cuts.add(min(max(b, s), e))
        edges = sorted(cuts)
        out = []
        for a, b in zip(edges, edges[1:], strict=False):
            style = base
            for sa, sb, st in spans:
                if sa <= a and sb >= b:
                    style = style + st
            out.append(Segment(text[a:b], style))
        if self.cursor == e and sel is None and self.has_focus and e == len(text):
            out.append(Segment(" ", base + CURSOR))
        return out

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._base = None
        self._line_cache.clear()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
