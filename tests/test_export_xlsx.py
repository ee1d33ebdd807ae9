"""XLSX cells prepared a column at a time: the same workbook as cell by cell (text stays text,
illegal control characters go, numbers stay numbers, missing values are empty)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from lfa_qual.export.to_xlsx import write_xlsx


def test_columns_of_every_kind_read_back(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "text": ["ren tekst", "klokke\x07 og\x1b escape", None],
            "memo": ["=1+1", "ok", "sidste\x0b"],
            "page": [1, 2, 3],
            "share": [0.5, math.nan, math.inf],
            "when": [pd.Timestamp("2021-04-01"), None, pd.Timestamp("2021-06-01")],
        }
    )
    path = tmp_path / "t.xlsx"
    write_xlsx(frame, path)
    rows = [[c.value for c in row] for row in load_workbook(path).active.iter_rows()]
    assert rows[0] == ["text", "memo", "page", "share", "when"]
    assert rows[1] == ["ren tekst", "=1+1", 1, 0.5, "2021-04-01 00:00:00"]
    assert rows[2] == ["klokke og escape", "ok", 2, None, None]
    assert rows[3] == [None, "sidste", 3, None, "2021-06-01 00:00:00"]
    cells = list(load_workbook(path).active.iter_rows(min_row=2, max_row=2))[0]
    assert cells[1].data_type == "s"  # "=1+1" is text, not a formula
    assert cells[0].alignment.wrap_text and not cells[1].alignment.wrap_text
