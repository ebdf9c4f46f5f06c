"""What every page a browser test visits must pass: axe-core finds no serious or critical
violation, and nothing scrolls sideways on a 360 px phone. axe-core comes from the npm registry
(package.json, `make test` installs it); it is injected into the page, never served: through
the DevTools protocol (an init script or ``page.evaluate``), which the page's
Content-Security-Policy does not govern, so the real policy stays on while axe runs.

Every page of a browser test also reports the Content-Security-Policy violations it meets
(``watch_csp``); the fixtures fail a test that met one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
PHONE_WIDTH = 360


def axe_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now."""
    if not AXE.exists():
        if os.environ.get("LAPOR_REQUIRE_BROWSER") == "1":
            pytest.fail(f"axe-core is required but missing at {AXE} (run `make test`)")
        pytest.skip("axe-core not installed (npm ci)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Not add_script_tag: an inline <script> that the CSP (rightly) refuses.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;void 0")
    # preload: false: axe would otherwise fetch the style sheets that an @import names (the
    # admin's forms.css) and parse them in <style> elements of its own, which the page's
    # policy rightly refuses. The one rule that reads that preloaded CSSOM,
    # css-orientation-lock, then judges nothing; no LAPOR style sheet locks the orientation.
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'], preload: false})"
    )
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


# Every securitypolicyviolation event of a page, on the console, where ``watch_csp`` hears it
# (across navigations, which a list kept in the page would not survive).
CSP_PREFIX = "CSP violation:"
_CSP_LISTENER = """document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP_PREFIX " + e.effectiveDirective + " blocked " + (e.blockedURI || "inline") +
                " in " + (e.sourceFile || document.location.href) + ":" + e.lineNumber +
                (e.sample ? " (" + e.sample + ")" : ""));
});""".replace("CSP_PREFIX", CSP_PREFIX)


def watch_csp(context) -> list[str]:
    """The CSP violations of every page of ``context`` (a list that fills as they happen):
    the pages' ``securitypolicyviolation`` events and the browser's own "Refused to …"
    console errors."""
    violations: list[str] = []
    context.add_init_script(_CSP_LISTENER)

    def heard(message) -> None:
        text = message.text
        if text.startswith(CSP_PREFIX) or "Content Security Policy" in text:
            violations.append(text)

    context.on("console", heard)
    return violations


def check_no_csp_violation(violations: list[str], *, label: str = "") -> None:
    assert not violations, f"{label}Content-Security-Policy violations:\n" + "\n".join(
        violations
    )


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        lines.append(f"{v['impact']}: {v['id']} ({v['help']}) at {targets}")
    return "\n".join(lines)


def sideways_overflow(page) -> int:
    """How many pixels the page is wider than the viewport (0: it does not scroll sideways)."""
    return page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - window.innerWidth"
    )


def check_accessibility(page, *, label: str = "") -> None:
    """axe-core finds no serious or critical violation on the page as shown."""
    violations = axe_violations(page)
    assert not violations, f"{label or page.url}:\n{describe(violations)}"


def check_no_sideways_scroll(page, *, label: str = "") -> None:
    """The page does not scroll sideways at 360 px (the viewport is restored)."""
    size = page.viewport_size
    if size and size["width"] != PHONE_WIDTH:
        page.set_viewport_size({"width": PHONE_WIDTH, "height": size["height"]})
        try:
            overflow = sideways_overflow(page)
        finally:
            page.set_viewport_size(size)
    else:
        overflow = sideways_overflow(page)
    where = label or page.url
    assert overflow <= 0, f"{where} scrolls sideways by {overflow} px at {PHONE_WIDTH} px"


def check_page(page, *, label: str = "") -> None:
    """axe-core on the page as shown, then the page at 360 px."""
    check_accessibility(page, label=label)
    check_no_sideways_scroll(page, label=label)
