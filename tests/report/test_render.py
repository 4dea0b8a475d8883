"""The public entry point: render_report writes one format to a path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from anticipe.report import FORMATS, render_bytes, render_report
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


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_a_report_is_the_same_with_its_charts_drawn_in_a_child_or_here(
    fmt: str, example_context: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import threading
    import zipfile

    from anticipe.report.background import can_fork

    def parts(data: bytes) -> dict[str, bytes]:
        if fmt == "html":
            return {"html": data}
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {name: archive.read(name) for name in archive.namelist()}

    drawn_apart = render_bytes(example_context, fmt)
    monkeypatch.setattr(threading, "active_count", lambda: 2)  # forking unsafe: drawn here
    assert not can_fork()
    drawn_here = render_bytes(example_context, fmt)
    assert parts(drawn_apart) == parts(drawn_here)
    if fmt == "html":
        assert drawn_here.count(b"<svg") == 6  # Graph 1 and the appendix' five
    else:
        assert sum(name.endswith(".png") for name in parts(drawn_here)) == 5
