"""The exercises as a page: pick one, type an answer, check it, ask for hints or the worked solution.

>>> from ipsecexplore.widgets import ExerciseWidget     # doctest: +SKIP
>>> ExerciseWidget()                                    # doctest: +SKIP

Answers are typed as Python literals (``{'Ah': False, 'Esp': True}``, ``0x78``, ``['AES_GCM_128']``); text
that is no literal is passed on as a string, so hex bytes (``a7 02 90 00``) and status names need no quotes.
Every verdict comes from :mod:`ipsecexplore.exercises`.
"""

from __future__ import annotations

import ast

import ipywidgets as W

from ..exercises import EXERCISES, get
from ..text import html_text

__all__ = ["ExerciseWidget", "LearnerApp", "parse_answer"]


def parse_answer(text: str):
    """The answer a learner typed: a Python literal when it is one, else the text itself (None when empty)."""
    text = text.strip()
    if not text:
        return None
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return text


class ExerciseWidget(W.VBox):
    """One exercise at a time: its question, an answer box, Check / Hint / Solution, and the feedback."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.add_class("ipsecexplore-exercises")
        self.choice = W.Dropdown(options=[(f"{e.id} · {e.title} {'★' * e.level}", e.id) for e in EXERCISES],
                                 value=EXERCISES[0].id, description="Exercise", layout=W.Layout(width="48em"))
        self.prompt = W.HTML()
        self.answer = W.Textarea(placeholder="your answer, e.g. 0x78, {'Ah': False, 'Esp': True} or a7 02 90 00",
                                 layout=W.Layout(width="60em", height="5em"))
        self.answer.add_class("ipsecexplore-exercise-answer")
        self.check_button = W.Button(description="Check", button_style="primary")
        self.check_button.add_class("ipsecexplore-exercise-check")
        self.hint_button = W.Button(description="Hint")
        self.solution_button = W.Button(description="Show the solution", button_style="warning")
        self.feedback = W.HTML()
        self.feedback.add_class("ipsecexplore-exercise-feedback")
        self.hints_shown = 0
        self.choice.observe(lambda _c: self._show(), names="value")
        self.check_button.on_click(lambda _b: self.check())
        self.hint_button.on_click(lambda _b: self.hint())
        self.solution_button.on_click(lambda _b: self.solution())
        self.children = [W.HTML("<b>Exercises</b> — each answer is checked by <code>ipsecexplore.exercises</code>; "
                                "a wrong answer says what is wrong, not what is right."),
                         self.choice, self.prompt, self.answer,
                         W.HBox([self.check_button, self.hint_button, self.solution_button]), self.feedback]
        self._show()

    def _show(self) -> None:
        ex = get(self.choice.value)
        # monospace: several prompts carry hex dumps whose columns must line up
        self.prompt.value = ("<pre style='white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:12px'>"
                             f"{html_text(ex.prompt)}</pre>")
        self.answer.value = ""
        self.hints_shown = 0
        self.feedback.value = ex.check(None)._repr_html_()

    def check(self):
        """Check the typed answer; returns the Feedback shown."""
        fb = get(self.choice.value).check(parse_answer(self.answer.value))
        self.feedback.value = fb._repr_html_()
        return fb

    def hint(self) -> str:
        """Show the next hint."""
        self.hints_shown += 1
        text = get(self.choice.value).hint(self.hints_shown)
        self.feedback.value = f"<div>{html_text(text)}</div>"
        return text

    def solution(self) -> str:
        """Show the worked solution."""
        text = get(self.choice.value).solution()
        self.feedback.value = f"<pre style='white-space:pre-wrap'>{html_text(text)}</pre>"
        return text


class LearnerApp(W.Tab):
    """The ``make app`` page: the NDIS_OFFLOAD builder and the exercises, one tab each."""

    def __init__(self, revision: int = 2, **builder_kwargs):
        from .builder import BuilderWidget

        self.builder = BuilderWidget(revision=revision, **builder_kwargs)
        self.exercises = ExerciseWidget()
        super().__init__(children=[self.builder, self.exercises])
        self.titles = ("Builder", "Exercises")
        self.add_class("ipsecexplore-app")
