"""Small notebooks for the browser tests: write one from code cells, open it in JupyterLab and run every cell
(used with tests/browser_harness.py's ``serve`` and ``chromium``)."""

from __future__ import annotations

import re


def notebook(cells: list[str]) -> dict:
    """An nbformat-4 notebook (python3 kernel) of the given code cells, without outputs."""
    return {"cells": [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {}, "outputs": [],
                       "source": src} for i, src in enumerate(cells)],
            "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
            "nbformat": 4, "nbformat_minor": 5}


def run_all(page, server, name: str) -> None:
    """Open notebook ``name`` of ``server`` in JupyterLab, wait for an idle kernel and run all cells."""
    from playwright.sync_api import expect

    page.goto(f"{server.base}/lab/tree/{name}?token={server.token}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell")
    expect(page.locator(".jp-StatusBar-TextItem", has_text=re.compile(r"\| Idle\s*$"))).to_have_count(1)
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
