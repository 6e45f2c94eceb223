"""How a person works the page: with a mouse, or with the keyboard alone."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from .checks import focus_problem


class Mouse:
    """Clicks, checks and fills, as most people do."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def fill(self, field: Locator, text: str) -> None:
        field.fill(text)

    def choose(self, radio: Locator) -> None:
        radio.check()

    def press(self, control: Locator) -> None:
        control.click()


class Keyboard:
    """Tab to a control, arrow keys and Space to choose, type to write, Enter to press.

    At every stop on the way the focused element must show its focus indicator.
    """

    MAX_STOPS = 60

    def __init__(self, page: Page) -> None:
        self.page = page

    def _key(self, key: str) -> None:
        self.page.keyboard.press(key)
        problem = focus_problem(self.page)
        assert not problem, f"after {key} on {self.page.url}: {problem}"

    def _tab_until(self, target: Locator, test: str) -> None:
        for _ in range(self.MAX_STOPS):
            self._key("Tab")
            if target.evaluate(test):
                return
        raise AssertionError(f"Tab never reached {target} on {self.page.url}")

    def fill(self, field: Locator, text: str) -> None:
        self._tab_until(field, "el => el === document.activeElement")
        self.page.keyboard.type(text)

    def choose(self, radio: Locator) -> None:
        # Tab enters a radio group once; arrow keys move (and choose) within it.
        self._tab_until(
            radio, "el => document.activeElement.type === 'radio' && document.activeElement.name === el.name"
        )
        for _ in range(self.MAX_STOPS):
            if radio.evaluate("el => el === document.activeElement"):
                break
            self._key("ArrowDown")
        self._key("Space")
        expect(radio).to_be_checked()

    def press(self, control: Locator) -> None:
        self._tab_until(control, "el => el === document.activeElement")
        self.page.keyboard.press("Enter")  # it leaves the page: nothing left to check here


Hands = Mouse | Keyboard
