"""Checks run in the browser on whatever page is shown. Each returns what is wrong (empty: fine)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

# WCAG 2.0-2.2 A and AA plus axe's best practices; naming the tags also turns on the
# WCAG 2.2 rules axe leaves off by default (target size).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    "resultTypes": ["violations"],
}
BLOCKING_IMPACTS = {"serious", "critical"}

_axe = Axe()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Every axe violation on the page, whatever its impact."""
    violations: list[dict[str, Any]] = _axe.run(page, options=AXE_OPTIONS).response["violations"]
    return violations


def describe_violations(violations: list[dict[str, Any]]) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}" for v in violations]


# A control counts as labelled when text a sighted user can read names it: its own text
# for a button, or a <label> for it that is rendered at a readable size.
_UNLABELLED_CONTROLS = """() => {
  const readable = (el) => {
    const box = el.getBoundingClientRect();
    return el.innerText.trim() !== '' && box.width > 4 && box.height > 4
      && el.checkVisibility({opacityProperty: true, visibilityProperty: true});
  };
  return [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
    .filter((el) => !(el.tagName === 'BUTTON' ? readable(el) : [...el.labels].some(readable)))
    .map((el) => el.outerHTML.slice(0, 120));
}"""


def controls_without_visible_label(page: Page) -> list[str]:
    result: list[str] = page.evaluate(_UNLABELLED_CONTROLS)
    return result


def sideways_overflow(page: Page) -> int:
    """How many CSS pixels the page would scroll sideways (0: it fits the window)."""
    overflow: int = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    return overflow


MIN_TEXT_PX = 12

# Text as drawn: an element's font size times the scale its SVG is drawn at (a chart
# narrowed to fit a phone shrinks its text). Text a sighted reader does not see does not
# count: an SVG's <title> and <desc>, hidden elements, text in a closed <details>, and text
# clipped to a pixel for screen readers only (.visually-hidden).
_SMALL_TEXT = """(least) => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    const text = node.textContent.trim();
    if (!text || !el || el.closest('title, desc, script, style, .visually-hidden')) continue;
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    if (![...range.getClientRects()].some((box) => box.width > 1 && box.height > 1)) continue;
    let size = parseFloat(getComputedStyle(el).fontSize);
    if (el instanceof SVGElement && el.getScreenCTM()) {
      const m = el.getScreenCTM();
      size *= Math.hypot(m.a, m.b);
    }
    if (size < least - 0.05) found.push(`${size.toFixed(1)}px: ${text.slice(0, 40)}`);
  }
  return found;
}"""


def small_text(page: Page) -> list[str]:
    """Text drawn smaller than MIN_TEXT_PX CSS pixels, with its size."""
    found: list[str] = page.evaluate(_SMALL_TEXT, MIN_TEXT_PX)
    return found


# The focused element must show a solid outline at least 2px wide, inside the window
# (a skip link that stays off-screen when focused does not count as visible).
_FOCUS_PROBLEM = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return 'nothing has focus';
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const where = el.outerHTML.slice(0, 100);
  // A date input's last stop is its calendar button, inside the browser's own part of the
  // input: the input is then :focus-within, not :focus-visible, and must show the outline still.
  const shown = el.matches(':focus-visible') || (el.matches('input[type=date]') && el.matches(':focus-within'));
  if (!shown) return 'no :focus-visible on ' + where;
  if (style.outlineStyle === 'none' || parseFloat(style.outlineWidth) < 2) return 'no outline on ' + where;
  if (box.right <= 0 || box.bottom <= 0 || box.left >= innerWidth || box.top >= innerHeight) return 'off-screen: ' + where;
  return '';
}"""


def focus_problem(page: Page) -> str:
    """What is wrong with the focus indicator of the focused element ('' when it shows)."""
    problem: str = page.evaluate(_FOCUS_PROBLEM)
    return problem


def focus_problems_in_tab_order(page: Page, limit: int = 300) -> list[str]:
    """Tabs from the top of the page through every stop; what is wrong at each one."""
    problems: list[str] = []
    seen_first = None
    for _ in range(limit):
        page.keyboard.press("Tab")
        current = page.evaluate(
            "() => document.activeElement === document.body ? null : document.activeElement.outerHTML"
        )
        if current is None or current == seen_first:
            return problems  # past the last stop, or round to the first again
        seen_first = seen_first or current
        if problem := focus_problem(page):
            problems.append(problem)
    return [*problems, f"more than {limit} stops"]


class Audit:
    """Checks every page a flow visits and collects what is wrong, so one run reports all
    of it: serious or critical axe violations, controls without a visible label, focus
    that does not show, a page wider than the window, text drawn under 12 px. Saves a full-page screenshot of
    each page into `screenshots`. Call it on a page just loaded (focus at the top)."""

    def __init__(self, screenshots: Path) -> None:
        self.screenshots = screenshots
        self.visited: list[str] = []
        self.problems: list[str] = []
        self.minor: list[str] = []  # axe findings below serious, reported but allowed

    def __call__(self, page: Page, name: str) -> None:
        self.visited.append(name)
        page.screenshot(path=self.screenshots / f"{name}.png", full_page=True)
        if overflow := sideways_overflow(page):
            self.problems.append(f"{name}: scrolls sideways by {overflow}px")
        self.problems += [f"{name}: text under {MIN_TEXT_PX}px: {text}" for text in small_text(page)]
        violations = axe_violations(page)
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        self.problems += [f"{name}: {line}" for line in describe_violations(blocking)]
        self.minor += [f"{name}: {line}" for line in describe_violations([v for v in violations if v not in blocking])]
        self.problems += [f"{name}: no visible label for {html}" for html in controls_without_visible_label(page)]
        self.problems += [f"{name}: {problem}" for problem in focus_problems_in_tab_order(page)]

    def report(self) -> str:
        return "\n".join(self.problems)
