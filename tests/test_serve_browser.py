"""`deliver serve` end to end in a real headless Chromium: the page shows every stage,
follows each save without a reload, shows a broken edit's errors and clears them."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import Server, browser, missing, save, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.skipif(missing() is not None, reason=str(missing()))]

CLIENT = """\
client: {name: Browser Test Co, crm: hubspot}
version: 1
meeting: refinement-1
date: 2026-11-20
architect: Sam Rivera
stakeholders:
  - {id: revops, name: Dana Ortiz, title: VP RevOps, department: revops}
stages:
  - {id: known, name: Known Lead, domain: lead, entry: [A form is submitted], owner: marketing, status: confirmed}
  - {id: mql, name: Marketing Qualified Lead, abbr: MQL, domain: lead, entry: [Score reaches 60], owner: marketing}
  - id: sql
    name: Sales Qualified Lead
    abbr: SQL
    domain: sales
    entry: [Discovery call booked]
    owner: sales
    golden: true
  - {id: won, name: Closed Won, domain: sales, entry: [Contract signed], owner: sales, golden: true, status: confirmed}
"""


def _labels(driver) -> list[str]:
    return driver.execute_script(
        "return [...document.querySelectorAll('#diagram g.node text')].map(t => t.textContent)"
    )


def test_the_page_follows_every_save_and_shows_a_broken_edit(tmp_path: Path) -> None:
    source = tmp_path / "client.yaml"
    source.write_text(CLIENT, encoding="utf-8")
    server = Server(source, tmp_path / "out")
    try:
        with browser() as driver:
            driver.get(server.url)
            wait_until(lambda: driver.find_elements("css selector", "#diagram g.node"))
            labels = " ".join(_labels(driver))
            for name in ("Known Lead", "Marketing Qualified Lead", "Sales Qualified Lead", "Closed Won"):
                assert name in labels
            # read in one script: the list is redrawn whenever a slower view becomes ready
            open_items = (
                "return [...document.querySelectorAll('#open-list button')].map(b => b.children[1].textContent)"
            )
            assert driver.execute_script(open_items) == [
                "Marketing Qualified Lead (MQL)",
                "Sales Qualified Lead (SQL)",
            ]
            driver.execute_script("window.__same_page = true")

            save(source, CLIENT.replace("name: Known Lead", "name: Engaged Prospect"))
            wait_until(lambda: "Engaged Prospect" in " ".join(_labels(driver)))
            assert driver.execute_script("return window.__same_page") is True  # updated without a reload
            notice = wait_until(lambda: driver.find_element("id", "notice").text)
            assert "Known Lead" in notice and "Engaged Prospect" in notice

            save(source, CLIENT.replace("domain: sales\n", "domain: salez\n", 1))
            banner = driver.find_element("id", "banner")
            wait_until(banner.is_displayed)
            assert f"{source}:14:13: stages[id=sql].domain:" in banner.text
            assert "Engaged Prospect" in " ".join(_labels(driver))  # the last good preview stays

            save(source, CLIENT)
            wait_until(lambda: not banner.is_displayed())
            wait_until(lambda: "Known Lead" in " ".join(_labels(driver)))

            driver.execute_script("document.querySelector('#open-list button').click()")
            hits = "return [...document.querySelectorAll('#diagram g.node.hit')].map(n => n.dataset.stage)"
            assert wait_until(lambda: driver.execute_script(hits)) == ["mql"]
    finally:
        assert server.stop() == 0, server.output
    assert "stopped" in server.output
