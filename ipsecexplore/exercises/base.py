"""What every exercise is made of: :class:`Feedback` and :class:`Exercise`.

An exercise has an ``id``, a ``title``, a ``level`` (1 easy … 3 hard), a ``prompt`` (what to answer and in
which form), graded ``hints``, a worked ``solution()`` and a ``reference()`` answer that its checker accepts.
``check(answer)`` returns :class:`Feedback`: ``passed`` and a ``message`` that names *what* is wrong (the
member, the byte, the step) without giving the answer away. ``check(None)`` means "not attempted yet" and
never raises; an answer of the wrong shape is feedback too, not an exception.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import IpsecExploreError
from ..text import html_text

__all__ = ["Feedback", "Exercise", "NOT_ATTEMPTED", "Wrong", "ok"]

#: The message of ``check(None)``.
NOT_ATTEMPTED = "not attempted yet"


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: ``passed`` and a ``message`` saying what is right or what is wrong."""

    passed: bool
    message: str
    attempted: bool = True

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        mark = "✔ correct" if self.passed else ("… " if not self.attempted else "✘ not yet")
        return f"{mark}: {self.message}" if self.attempted else f"{mark}{self.message}"

    def _repr_html_(self) -> str:
        colour = "#2e7d32" if self.passed else ("#616161" if not self.attempted else "#c62828")
        return f'<div style="color:{colour}">{html_text(str(self))}</div>'


class Wrong(Exception):
    """Raised inside a checker to reject an answer with a specific message (turned into Feedback)."""


def ok(message: str = "that is right.") -> Feedback:
    """A passing verdict."""
    return Feedback(True, message)


@dataclass
class Exercise:
    """One exercise; see the module docstring. ``checker(answer)`` returns a success message or raises
    :class:`Wrong`; ``answer`` builds the reference answer; ``worked`` is the worked solution text."""

    id: str
    title: str
    level: int
    prompt: str
    hints: tuple[str, ...]
    worked: str
    answer: Callable[[], Any]
    checker: Callable[[Any], str]
    topics: tuple[str, ...] = field(default_factory=tuple)

    def check(self, answer: Any) -> Feedback:
        """The verdict on ``answer`` (``None``: not attempted yet)."""
        if answer is None:
            return Feedback(False, NOT_ATTEMPTED, attempted=False)
        try:
            return ok(self.checker(answer))
        except Wrong as exc:
            return Feedback(False, str(exc))
        except (IpsecExploreError, TypeError, ValueError, AttributeError, KeyError, OverflowError) as exc:
            # an answer of a shape no reader expected: still feedback, never a traceback
            return Feedback(False, f"this answer has a form the exercise cannot read ({type(exc).__name__}: "
                                   f"{exc}); the question says which form to use")

    def hint(self, level: int = 1) -> str:
        """Hint number ``level`` (1 = gentlest); past the last one, the last one again."""
        n = max(1, min(int(level), len(self.hints)))
        return f"Hint {n}/{len(self.hints)}: {self.hints[n - 1]}"

    def solution(self) -> str:
        """The worked answer, step by step."""
        return self.worked

    def reference(self) -> Any:
        """A correct answer (what graders and the tests feed to :meth:`check`)."""
        return self.answer()

    def __str__(self) -> str:
        return f"{self.id} ({'★' * self.level}) {self.title}\n\n{self.prompt}"

    def _repr_html_(self) -> str:
        e = html_text
        return (f"<div><b>{e(self.id)} · {e(self.title)}</b> <span title='difficulty'>{'★' * self.level}</span>"
                f"<p style='white-space:pre-wrap'>{e(self.prompt)}</p></div>")
