"""Counters for benchmarks: requests, answers, deliveries, duplicates."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Stats:
    requests: Counter[str] = field(default_factory=Counter)  # per method
    statuses: Counter[int] = field(default_factory=Counter)  # per HTTP status answered
    delivered: Counter[int] = field(default_factory=Counter)  # messages per chat
    edits: Counter[int] = field(default_factory=Counter)  # edits per chat
    texts: dict[int, Counter[str]] = field(default_factory=dict)  # chat -> text -> times
    first_delivery: float | None = None
    last_delivery: float | None = None

    def record_delivery(self, chat_id: int, text: str | None) -> None:
        now = time.monotonic()
        self.first_delivery = self.first_delivery or now
        self.last_delivery = now
        self.delivered[chat_id] += 1
        self.texts.setdefault(chat_id, Counter())[text or ""] += 1

    @property
    def total_delivered(self) -> int:
        return sum(self.delivered.values())

    def delivery_rate(self) -> float:
        """Messages per second between the first and the last delivery."""
        if not self.first_delivery or not self.last_delivery:
            return 0.0
        span = self.last_delivery - self.first_delivery
        return self.total_delivered / span if span > 0 else float(self.total_delivered)

    def duplicates(self) -> dict[int, dict[str, int]]:
        """Per chat, texts delivered more than once and how often."""
        found = {}
        for chat_id, counter in self.texts.items():
            repeated = {text: n for text, n in counter.items() if n > 1}
            if repeated:
                found[chat_id] = repeated
        return found

    def reset(self) -> None:
        fresh = Stats()
        self.__dict__.update(fresh.__dict__)
