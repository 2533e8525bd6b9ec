"""Settings: ``config.toml`` overridden by ``AWARDBOT__SECTION__KEY`` environment variables.

Loading never raises a traceback at a person: :func:`load_settings` turns every problem
into a :class:`SettingsError` whose message names the file and the key.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from awardbot.bot.documents_settings import DocumentsSettings
from awardbot.bot.notice_settings import NoticeSettings
from awardbot.bot.schedule_settings import ScheduleSettings
from awardbot.db.url import DatabaseURLError, check_url
from awardbot.scoring import Rules, RulesError

ENV_PREFIX = "AWARDBOT__"
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
MIN_AUDIT_KEY_CHARS = 32
KEY_HINT = "make one with: python3 -c 'import secrets; print(secrets.token_hex(32))'"


class SettingsError(Exception):
    """A setting is missing or wrong; the message is one line naming file and key."""


class Section(BaseModel):
    """A config section: unknown keys are an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class TelegramSettings(Section):
    token: SecretStr | None = None
    bot_username: str | None = None
    api_base_url: str = "https://api.telegram.org/bot"
    file_base_url: str = "https://api.telegram.org/file/bot"
    mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: SecretStr | None = None
    webhook_max_body_bytes: int = Field(default=1024 * 1024, ge=1024, le=64 * 1024 * 1024)
    concurrent_updates: int = Field(default=32, ge=1, le=1024)

    @field_validator("webhook_secret")
    @classmethod
    def _telegram_accepts(cls, value: SecretStr | None) -> SecretStr | None:
        """Telegram takes 1–256 of A–Z, a–z, 0–9, _ and -; an empty one is no secret."""
        if value is None or not value.get_secret_value():
            return None
        if not WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("use 1 to 256 characters of A-Z, a-z, 0-9, _ and -")
        return value


class DatabaseSettings(Section):
    url: str = "sqlite+aiosqlite:///var/awardbot.db"
    echo: bool = False

    @field_validator("url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        try:
            check_url(value)
        except DatabaseURLError as exc:
            raise ValueError(str(exc)) from exc
        return value


class StorageSettings(Section):
    evidence_dir: Path = Path("var/evidence")
    max_file_mb: int = Field(default=20, ge=1, le=2000)


class BotSettings(Section):
    default_language: Literal["zh", "en"] = "zh"
    invite_ttl_days: int = Field(default=30, ge=1, le=3650)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


class IntakeSettings(Section):
    statement_max_chars: int = Field(default=1000, ge=50, le=4000)
    max_evidence: int = Field(default=20, ge=1, le=100)


class SenderSettings(Section):
    messages_per_second: float = Field(default=25.0, gt=0, le=1000)
    private_chat_interval_s: float = Field(default=1.0, ge=0)
    group_messages_per_minute: int = Field(default=20, ge=1)
    max_attempts: int = Field(default=8, ge=1)
    broadcast_progress_s: float = Field(default=3.0, ge=0.05, le=600)


class AuditSettings(Section):
    """The audit chain's HMAC key and where its checkpoints are published."""

    key: SecretStr | None = None
    checkpoint_file: Path = Path("var/audit-checkpoints.jsonl")
    checkpoint_minutes: int = Field(default=60, ge=1, le=7 * 24 * 60)
    checkpoint_chat_id: int | None = None

    @field_validator("key")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < MIN_AUDIT_KEY_CHARS:
            raise ValueError(f"must be at least {MIN_AUDIT_KEY_CHARS} characters; {KEY_HINT}")
        return value

    def key_bytes(self) -> bytes | None:
        return self.key.get_secret_value().encode() if self.key is not None else None

    def require_key(self) -> bytes:
        """The key, or a one-line refusal naming the setting."""
        key = self.key_bytes()
        if key is None:
            raise SettingsError(f"audit.key: missing; set it in [audit] or in "
                                f"{ENV_PREFIX}AUDIT__KEY ({KEY_HINT})")
        return key


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter="__", extra="forbid"
    )

    telegram: TelegramSettings = TelegramSettings()
    database: DatabaseSettings = DatabaseSettings()
    storage: StorageSettings = StorageSettings()
    bot: BotSettings = BotSettings()
    sender: SenderSettings = SenderSettings()
    intake: IntakeSettings = IntakeSettings()
    schedule: ScheduleSettings = ScheduleSettings()
    notice: NoticeSettings = NoticeSettings()
    documents: DocumentsSettings = DocumentsSettings()
    audit: AuditSettings = AuditSettings()
    rules: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = init_settings.init_kwargs.pop("_toml_file", None)  # type: ignore[attr-defined]
        sources: list[PydanticBaseSettingsSource] = [init_settings, RulesAsToml(settings_cls)]
        if toml_file is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_file))
        return tuple(sources)


class RulesAsToml(EnvSettingsSource):
    """The environment, with every ``AWARDBOT__RULES__…`` value read as a TOML value.

    An environment variable is text; ``[rules]`` wants the value as ``config.toml`` would
    write it: ``5``, ``0.5``, ``true``, ``{ruzi_niu = 40}``. Text that is no TOML value
    (``Asia/Shanghai``, ``17:30``) stays text.
    """

    def __call__(self) -> dict[str, Any]:
        values = super().__call__()
        if isinstance(values.get("rules"), dict):
            values["rules"] = _toml_values(values["rules"])
        return values


def _toml_values(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _toml_values(item) for key, item in value.items()}
    if not isinstance(value, str):
        return value
    try:
        return tomllib.loads(f"value = {value}")["value"]
    except tomllib.TOMLDecodeError:
        return value


def _first_error(exc: ValidationError, where: str) -> SettingsError:
    error = exc.errors()[0]
    key = ".".join(str(part) for part in error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown setting"
    return SettingsError(f"{where}: {key}: {message}")


def load_settings(path: Path | None, *, require_token: bool = False) -> Settings:
    """Read ``path`` (if it exists) and the environment; validate everything."""
    where = str(path) if path is not None else "settings"
    if path is not None and path.exists():
        try:
            tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SettingsError(f"{where}: malformed TOML: {exc}") from None
        toml_file: Path | None = path
    elif path is not None and path.name != "config.toml":
        raise SettingsError(f"{where}: no such file")
    else:
        toml_file = None
    try:
        settings = Settings(_toml_file=toml_file)  # type: ignore[call-arg]
    except ValidationError as exc:
        raise _first_error(exc, where) from None
    try:
        Rules.from_mapping(settings.rules)
    except RulesError as exc:
        raise SettingsError(f"{where}: {exc}") from None
    if require_token and settings.telegram.token is None:
        raise SettingsError(
            f"{where}: telegram.token: missing; set it there or in {ENV_PREFIX}TELEGRAM__TOKEN"
        )
    if settings.telegram.mode == "webhook" and not settings.telegram.webhook_url:
        raise SettingsError(f"{where}: telegram.webhook_url: required when mode = \"webhook\"")
    if settings.telegram.mode == "webhook" and settings.telegram.webhook_secret is None:
        raise SettingsError(
            f"{where}: telegram.webhook_secret: required when mode = \"webhook\" (anyone who "
            f"finds the URL could act as anyone); set it there or in "
            f"{ENV_PREFIX}TELEGRAM__WEBHOOK_SECRET")
    return settings
