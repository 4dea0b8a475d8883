"""The public entry point: render_report writes one format to a path."""

from __future__ import annotations

from pathlib import Path

import pytest

from anticipe.report import FORMATS, render_report
from tests.studies import small_study


def test_render_report_writes_each_cheap_format(tmp_path: Path) -> None:
    study = small_study()
    for fmt in ("html", "xlsx", "docx"):
        path = render_report(study, fmt, tmp_path / f"report.{fmt}", date="2025-01-01")
        assert path.exists()
        assert path.stat().st_size > 1000
    html = (tmp_path / "report.html").read_text("utf-8")
    assert "Métier d&#39;essai" in html
    assert "2025-01-01" in html
    assert FORMATS == ("html", "pdf", "docx", "xlsx")


def test_unknown_format_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown report format 'odt'"):
        render_report(small_study(), "odt", tmp_path / "report.odt")
    assert not (tmp_path / "report.odt").exists()
