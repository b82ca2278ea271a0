"""Working days for 承诺时限: public holidays and the 调休 make-up working weekends from config/workdays.toml.

A promised time limit of N working days counts from the day after receipt (受理次日起算): the due date is
the Nth working day after the day the case was received; 即办 (N = 0) is due on the receipt day, or the next
working day when it arrived on a day off. A case is overdue the day after its due date.
"""
from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path


class CalendarError(ValueError):
    """The calendar file is malformed: a date that does not parse, sits in another year, or is in both lists."""


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()  # 调休: weekend days worked
    years: frozenset[int] = frozenset()  # years the file covers
    provisional_years: frozenset[int] = frozenset()  # years without the State Council's notice entered
    sources: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> "WorkCalendar":
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        holidays: set[dt.date] = set()
        workdays: set[dt.date] = set()
        years, provisional, sources = set(), set(), {}
        for key, year_data in data.items():
            try:
                year = int(key)
            except ValueError:
                raise CalendarError(f"{path}: [{key}] is not a year") from None
            years.add(year)
            if year_data.get("provisional", False):
                provisional.add(year)
            sources[year] = str(year_data.get("source", ""))
            for name, into in (("holidays", holidays), ("workdays", workdays)):
                for text in year_data.get(name, []):
                    try:
                        day = dt.date.fromisoformat(text)
                    except (TypeError, ValueError):
                        raise CalendarError(f"{path}: [{key}] {name}: {text!r} is not a date") from None
                    if day.year != year:
                        raise CalendarError(f"{path}: [{key}] {name}: {text} is in another year")
                    into.add(day)
            for text in year_data.get("workdays", []):
                if dt.date.fromisoformat(text).weekday() < 5:
                    raise CalendarError(f"{path}: [{key}] workdays: {text} is a weekday already (调休 days are "
                                        "weekend days worked)")
        both = holidays & workdays
        if both:
            raise CalendarError(f"{path}: {sorted(both)[0]} is both a holiday and a working day")
        return cls(frozenset(holidays), frozenset(workdays), frozenset(years), frozenset(provisional), sources)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def is_provisional(self, day: dt.date) -> bool:
        """True when ``day``'s year has no State Council notice in the file (statutory days only, or none)."""
        return day.year in self.provisional_years or day.year not in self.years

    def due_date(self, received: dt.date, working_days: int) -> dt.date:
        """The last day of a time limit of ``working_days`` working days for a case received on ``received``."""
        day = received
        if working_days <= 0:
            while not self.is_working_day(day):
                day += dt.timedelta(days=1)
            return day
        left = working_days
        while left:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative when ``end`` is before ``start``)."""
        if end < start:
            return -self.working_days_between(end, start)
        n, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            n += self.is_working_day(day)
        return n
