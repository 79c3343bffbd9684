"""A scenario's save button that asks before replacing a scenario already saved under the same name.

Pressed for a name that exists, the save refuses (`kamlib.scenarios.store.ScenarioExistsError`) and the button
turns into "Replace scenario"; pressed again with the same name, it replaces. Typing another name turns it back.
The live matrix and the AHP form share it.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets


class SaveButton:
    """The save button of a scenario name field, with what it says given by `labels` (save, replace)."""

    def __init__(self, name: widgets.Text, labels: Callable[[], tuple[str, str]], icon: str = ""):
        self.name = name
        self.labels = labels
        self.button = widgets.Button(icon=icon)
        self.asking = ""
        """A scenario name already saved, whose replacement the next press confirms ("" when none)."""
        name.observe(self._renamed, names="value")
        self.relabel()

    def on_save(self, save: Callable[[str, bool], object]) -> None:
        """Call `save(name, replace)` on each press; `replace` is true when the press confirms a replacement."""
        self.button.on_click(lambda _: save(self.name.value, self.confirms))

    @property
    def confirms(self) -> bool:
        """Whether a press now confirms replacing the scenario asked about."""
        return bool(self.asking) and self.name.value.strip() == self.asking

    def ask(self, name: str) -> None:
        """A scenario named `name` exists: the next press with that name replaces it."""
        self.asking = name
        self.relabel()

    def saved(self) -> None:
        """The scenario was saved: nothing is asked any more."""
        self.asking = ""
        self.relabel()

    def relabel(self) -> None:
        """Say "save" or "replace" in the current language (call it when the language changes)."""
        save, replace = self.labels()
        self.button.description = replace if self.asking else save
        self.button.button_style = "warning" if self.asking else ""

    def _renamed(self, _: object = None) -> None:
        if self.asking and self.name.value.strip() != self.asking:
            self.saved()
