"""Fault injection: 429 storms, 5xx, dropped connections and slow answers, seeded."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Fault:
    kind: str  # "429" | "5xx" | "drop" | "drop_after"
    status: int = 0
    retry_after: int = 0


@dataclass
class FaultConfig:
    """Shares are probabilities in [0, 1] per call; ``methods`` None = every method.

    File downloads count as the method ``downloadFile``: they are delayed (``delay``) when
    ``methods`` names it, and never fail."""

    too_many_share: float = 0.0
    retry_after: int | tuple[int, int] = 1
    server_error_share: float = 0.0
    server_error_codes: tuple[int, ...] = (500, 502)
    drop_share: float = 0.0
    drop_after_share: float = 0.0  # the call takes effect, then the answer is lost
    delay: float | tuple[float, float] = 0.0
    methods: frozenset[str] | None = None
    exclude: frozenset[str] = field(default_factory=lambda: frozenset({"getUpdates"}))


@dataclass
class _Scripted:
    method: str | None
    fault: Fault
    remaining: int


class FaultInjector:
    """Decides per call whether to misbehave. Off until configured."""

    def __init__(self, seed: int = 0) -> None:
        self.config = FaultConfig()
        self.rng = random.Random(seed)
        self.injected: Counter[str] = Counter()
        self._scripted: list[_Scripted] = []

    def configure(self, *, seed: int | None = None, **options: object) -> None:
        """Replace the configuration; see FaultConfig for the options."""
        for key in ("methods", "exclude"):
            if options.get(key) is not None:
                options[key] = frozenset(options[key])  # type: ignore[call-overload]
        self.config = FaultConfig(**options)  # type: ignore[arg-type]
        if seed is not None:
            self.rng = random.Random(seed)

    def clear(self) -> None:
        self.config = FaultConfig()
        self._scripted.clear()

    def fail_next(
        self,
        method: str | None = None,
        *,
        status: int = 429,
        retry_after: int = 1,
        count: int = 1,
        drop: bool = False,
        after: bool = False,
    ) -> None:
        """Script the next ``count`` calls (of ``method``): a status, or a dropped connection."""
        if drop:
            fault = Fault("drop_after" if after else "drop")
        elif status == 429:
            fault = Fault("429", 429, retry_after)
        else:
            fault = Fault("5xx", status)
        self._scripted.append(_Scripted(method, fault, count))

    def decide(self, method: str) -> Fault | None:
        fault = self._take_scripted(method) or self._roll(method)
        if fault is not None:
            self.injected[fault.kind] += 1
        return fault

    def delay(self, method: str) -> float:
        if not self._applies(method):
            return 0.0
        delay = self.config.delay
        if isinstance(delay, tuple):
            return self.rng.uniform(*delay)
        return delay

    def _take_scripted(self, method: str) -> Fault | None:
        for item in self._scripted:
            if item.method is None and method == "getUpdates":
                continue
            if item.method in (None, method) and item.remaining > 0:
                item.remaining -= 1
                if item.remaining == 0:
                    self._scripted.remove(item)
                return item.fault
        return None

    def _applies(self, method: str) -> bool:
        cfg = self.config
        if cfg.methods is not None:
            return method in cfg.methods
        return method not in cfg.exclude

    def _roll(self, method: str) -> Fault | None:
        cfg = self.config
        shares = cfg.too_many_share + cfg.server_error_share
        shares += cfg.drop_share + cfg.drop_after_share
        if shares <= 0 or not self._applies(method):
            return None
        roll = self.rng.random()
        if roll < cfg.too_many_share:
            wait = cfg.retry_after
            seconds = self.rng.randint(*wait) if isinstance(wait, tuple) else wait
            return Fault("429", 429, seconds)
        roll -= cfg.too_many_share
        if roll < cfg.server_error_share:
            return Fault("5xx", self.rng.choice(cfg.server_error_codes))
        roll -= cfg.server_error_share
        if roll < cfg.drop_share:
            return Fault("drop")
        roll -= cfg.drop_share
        if roll < cfg.drop_after_share:
            return Fault("drop_after")
        return None
