"""axe-core accessibility scans for Playwright pages.

The site's Content-Security-Policy forbids inline scripts, so `page.add_script_tag` cannot
load axe. `page.evaluate` runs through the DevTools protocol, which the page's CSP does not
govern, so the library is evaluated that way instead.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@functools.cache
def _axe_source() -> str:
    # A trailing expression keeps the evaluation's result a plain value, not a function.
    return AXE_PATH.read_text(encoding="utf-8") + "\n;undefined"


def inject_axe(page: Page) -> None:
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    assert page.evaluate("typeof window.axe === 'object'"), "axe-core did not load"


def axe_violations(page: Page) -> list[dict[str, Any]]:
    inject_axe(page)
    violations: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return results.violations;
        }""",
        AXE_TAGS,
    )
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} "
            f"<{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    {target}: {node['html'][:160]}")
            related = {
                " ".join(str(part) for part in related["target"])
                for check in node["any"] + node["all"] + node["none"]
                for related in check["relatedNodes"]
            }
            if related:
                lines.append(f"        related: {', '.join(sorted(related))}")
    return "\n".join(lines)


def assert_no_axe_violations(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe found violations on {page.url}:\n{describe(violations)}"


def assert_no_axe_violations_in_snapshot(source: Page, scanner: Page) -> None:
    """Scan what `source`, a page without JavaScript, shows.

    axe needs timers, which never fire where JavaScript is disabled, so the document is
    serialised and opened again at the same address in `scanner`, a page with JavaScript;
    its styles still come from the live server.
    """
    url, html = source.url.split("#")[0], source.content()
    scanner.route(
        lambda address: address.split("#")[0] == url,
        lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html),
    )
    scanner.goto(source.url)
    assert_no_axe_violations(scanner)
