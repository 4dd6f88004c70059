"""One evaluation budget shared by the Terraform and CloudFormation evaluators.

Hostile input can ask an evaluator for exponential work with a file of a few lines
(doubling chains of locals, parameters or mappings, `x * x` repeated, nested `for`s, a
`Join` of a 1 MB parameter 20,000 times). Every evaluation therefore runs against a
`Budget`: a cap on the size of any value it produces (string length, list length, digits
of a number, nodes of a nested value), on the steps it takes and on its recursion depth.
Evaluators also memoise what repeats (parameters, mappings, locals), so a legitimate
chain costs one evaluation per link.

Hitting a cap raises `BudgetExceeded`; the evaluator turns it into an `Unknown` with the
reason, and the budget records where it happened (`hits`), which the loader reports as an
error naming file, line and the cap (`value would exceed 1 MiB`) and lists the value as
not reviewed. The rest of the file and the scan go on.
"""

from __future__ import annotations

import math
from typing import Any, Iterator

from archreview.model import LoadError, Unresolved

MAX_VALUE_BYTES = 1024 * 1024         # one string, or the serialised text of one value
MAX_ITEMS = 100_000                   # items of one list or map; nodes of one nested value
MAX_DIGITS = 1000                     # digits of one integer
MAX_STEPS = 1_000_000                 # evaluation steps for one file (CFN) or root module (Terraform)
MAX_DEPTH = 200                       # nesting of expressions being evaluated
_MAX_BITS = int(MAX_DIGITS * math.log2(10))


class BudgetExceeded(Exception):
    """A value or an evaluation over a cap. Not an evaluation error of the language:
    Terraform's try()/can() never catch it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NotAnIndex(ValueError):
    """A number that cannot be used as an index or a count (inf, NaN, too large)."""


def as_int(value: Any, what: str = "index") -> int:
    """The one numeric guard: `value` as an int usable as an index or a count.

    Rejects inf, NaN, booleans and magnitudes beyond 2**53 (where floats stop being exact
    and any list or count would be absurd anyway) with a `NotAnIndex`.
    """
    if isinstance(value, bool):
        raise NotAnIndex(f"{what} must be a number, not a bool")
    if isinstance(value, str):
        try:
            value = float(value) if any(c in value for c in ".eEnN") else int(value)
        except ValueError:
            raise NotAnIndex(f"{what} {value[:40]!r} is not a number") from None
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NotAnIndex(f"{what} {value} is not a finite number")
        value = int(value)
    if not isinstance(value, int):
        raise NotAnIndex(f"{what} must be a number")
    if abs(value) > 2 ** 53:
        raise NotAnIndex(f"{what} {'-' if value < 0 else ''}{'huge' if abs(value) > 10 ** 30 else abs(value)} is out of range")
    return value


class Budget:
    """The caps for one evaluation unit, the steps taken so far and the caps hit."""

    __slots__ = ("steps", "max_steps", "file", "line", "what", "hits")

    def __init__(self, file: str = "", max_steps: int = MAX_STEPS) -> None:
        self.steps = 0
        self.max_steps = max_steps
        self.file = file                  # where evaluation is now: the site a hit names
        self.line = 0
        self.what = ""
        self.hits: dict[tuple[str, int, str], str] = {}   # (file, line, reason) -> what

    # ---- where --------------------------------------------------------------------------
    def at(self, file: str | None = None, line: int | None = None, what: str | None = None) -> tuple[str, int, str]:
        """Move the site; returns the previous one for `restore`."""
        before = (self.file, self.line, self.what)
        if file is not None:
            self.file = file
        if line is not None:
            self.line = line
        if what is not None:
            self.what = what
        return before

    def restore(self, site: tuple[str, int, str]) -> None:
        self.file, self.line, self.what = site

    # ---- caps -------------------------------------------------------------------------------
    def exceeded(self, reason: str) -> BudgetExceeded:
        key = (self.file, self.line, reason)
        self.hits.setdefault(key, self.what)
        return BudgetExceeded(reason)

    def step(self, n: int = 1) -> None:
        self.steps += n
        if self.steps > self.max_steps:
            raise self.exceeded(f"evaluation would take more than {self.max_steps:,} steps")

    def text(self, length: int) -> None:
        """Before building a string of `length` characters."""
        if length > MAX_VALUE_BYTES:
            raise self.exceeded("value would exceed 1 MiB")

    def items(self, count: int) -> None:
        """Before building a list or map of `count` items."""
        if count > MAX_ITEMS:
            raise self.exceeded(f"value would exceed {MAX_ITEMS:,} items")

    def bits(self, bits: int) -> None:
        """Before building an integer of `bits` bits."""
        if bits > _MAX_BITS:
            raise self.exceeded(f"number would exceed {MAX_DIGITS:,} digits")

    def product(self, x: Any, y: Any) -> None:
        if isinstance(x, int) and isinstance(y, int):
            self.bits(x.bit_length() + y.bit_length())

    def power(self, x: Any, y: Any) -> None:
        if isinstance(x, int) and isinstance(y, (int, float)) and abs(x) > 1 and math.isfinite(y) and y > 0:
            self.bits(int(x.bit_length() * min(y, 10 ** 9)))

    def value(self, value: Any) -> Any:
        """Check a produced value whole (strings, numbers, lists, maps, nested shared
        structure counted as it would be written out); returns it unchanged."""
        if isinstance(value, str):
            self.text(len(value))
        elif isinstance(value, int) and not isinstance(value, bool):
            self.bits(value.bit_length())
        elif isinstance(value, (list, dict)):
            self.size(value)
        return value

    def size(self, value: Any) -> int:
        """The serialised size of a nested value, with early exit at the caps: a list that
        holds the same big list twice counts twice (that is what writing it out costs)."""
        total = 0
        nodes = 0
        todo = [value]
        while todo:
            v = todo.pop()
            nodes += 1
            if nodes > MAX_ITEMS:
                raise self.exceeded(f"value would exceed {MAX_ITEMS:,} items")
            if isinstance(v, str):
                total += len(v) + 2
            elif isinstance(v, dict):
                total += 2
                for k, x in v.items():
                    total += len(k) + 3 if isinstance(k, str) else 8
                    todo.append(x)
            elif isinstance(v, (list, tuple)):
                total += 2
                todo.extend(v)
            else:
                total += 8
            if total > MAX_VALUE_BYTES:
                raise self.exceeded("value would exceed 1 MiB")
        return total

    # ---- what to report ---------------------------------------------------------------------
    def errors(self) -> list[LoadError]:
        return [LoadError(file, f"evaluation budget: {reason}; {what + ' ' if what else ''}left unknown", line)
                for (file, line, reason), what in self.hits.items()]

    def unresolved(self) -> list[Unresolved]:
        return [Unresolved(file, what or "value", f"not evaluated: {reason} (evaluation budget)", line)
                for (file, line, reason), what in self.hits.items()]

    def __iter__(self) -> Iterator[tuple[str, int, str]]:
        return iter(self.hits)


_CURRENT: list[Budget] = [Budget()]


def current() -> Budget:
    """The budget of the evaluation running now (Terraform functions reach it from here)."""
    return _CURRENT[-1]


class active:
    """`with active(budget):` makes `budget` the current one."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget

    def __enter__(self) -> Budget:
        _CURRENT.append(self.budget)
        return self.budget

    def __exit__(self, *exc: Any) -> None:
        _CURRENT.pop()
