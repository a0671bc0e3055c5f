"""All runtime configuration in one place. Unset server addresses mean "start the embedded one"."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CASEFLOW_", extra="ignore", frozen=True)

    temporal_address: str | None = Field(
        default=None, validation_alias=AliasChoices("TEMPORAL_ADDRESS", "CASEFLOW_TEMPORAL_ADDRESS")
    )
    temporal_namespace: str = Field(
        default="default",
        validation_alias=AliasChoices("TEMPORAL_NAMESPACE", "CASEFLOW_TEMPORAL_NAMESPACE"),
    )
    temporal_tls_cert: Path | None = Field(
        default=None,
        validation_alias=AliasChoices("TEMPORAL_TLS_CERT", "CASEFLOW_TEMPORAL_TLS_CERT"),
    )
    temporal_tls_key: Path | None = Field(
        default=None, validation_alias=AliasChoices("TEMPORAL_TLS_KEY", "CASEFLOW_TEMPORAL_TLS_KEY")
    )
    temporal_tls_ca: Path | None = Field(
        default=None, validation_alias=AliasChoices("TEMPORAL_TLS_CA", "CASEFLOW_TEMPORAL_TLS_CA")
    )
    database_url: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "CASEFLOW_DATABASE_URL")
    )
    data_dir: Path = Path(".caseflow-data")
    payload_keys: SecretStr | None = None
    """Keys sealing Temporal payloads (see caseflow/codec.py); unset: the data folder's key."""
    case_finder: Literal["visibility", "worklist"] = "visibility"
    """How a calendar change finds the open cases it touches: Temporal's visibility (search
    attributes), or the PostgreSQL worklist (for a Temporal without visibility queries)."""
    calendar_batch_size: int = Field(default=200, ge=1, le=1000)
    """Cases a calendar change updates per activity (one page of the finder)."""
    bank_calendar: Path | None = None
    """The bank's own working-day entries (JSON, see caseflow/policy/calendar_bank.json);
    unset: the file shipped with caseflow."""
    time_zone: str = "Asia/Shanghai"
    task_queue: str = "caseflow"
    temporal_port: int = 7233
    temporal_ui_port: int = 8233
    temporal_ui_origin: str | None = None
    """The origin of the Temporal UI whose payloads the codec (/codec) opens (CORS); unset:
    the embedded UI's, http://127.0.0.1:<temporal_ui_port>."""
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    web_idle_minutes: int = Field(default=30, ge=1, le=60 * 24 * 30)
    """A web session unused this long has ended (the user signs in again)."""
    web_refresh_seconds: int = Field(default=15, ge=1, le=3600)
    """How often an open worklist page looks for changes to its cases."""
    complaint_categories: Path | None = None
    """The bank's complaint taxonomy (business lines and causes); unset: the file shipped with
    caseflow (caseflow/policy/complaint_categories.json)."""
    client_policy: Path | None = None
    """The bank's client policy (JSON, see caseflow/policy/client_policy.json); unset: shipped."""
    # Messages (see the README's "Alerts and messages").
    smtp_host: str | None = None
    """The mail server for e-mail; unset: no e-mail (`./dev.sh up` runs a local mail sink)."""
    smtp_port: int = 25
    mail_sink_port: int = 8025
    """Where `./dev.sh up` runs its local mail sink when no smtp_host is set."""
    smtp_sender: str = "caseflow@bank.example"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_tls: bool = False
    smtp_ca_file: Path | None = None
    """The CA certificate(s) (PEM) that sign the mail server's certificate, e.g. the bank's own
    CA; unset: the system's trusted CAs. The certificate is always checked."""
    webhook_url: str | None = None
    """The bank's webhook (WeCom / DingTalk robot, message bus) for the kinds the channel
    policy names; unset: no webhook."""
    webhook_secret: SecretStr | None = None
    """The HMAC key of the webhook's X-Caseflow-Signature header (required with webhook_url)."""
    message_templates: Path | None = None
    """The bank's own message templates (<language>/<kind>.txt), searched before the shipped."""
    channel_policy: Path | None = None
    """Which kinds go through which channels (JSON, see caseflow/policy/channels.json)."""
    organisation: Path | None = None
    """Units and staff loaded at start (the embedded demo: caseflow/policy/organisation.json)."""
    metrics_port: int | None = None
    """Where a worker serves caseflow's figures for Prometheus (/metrics; the API serves them
    on its own port); unset: not served."""
    temporal_metrics_port: int | None = None
    """Where a worker serves the Temporal SDK's own figures (workflow task latency, polls,
    activity timings) for Prometheus; unset: not served."""
    log_format: Literal["auto", "json", "console"] = "auto"
    log_level: str = "INFO"

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def temporal_target(self) -> str:
        """The configured cluster, else the embedded dev server that `./dev.sh up` runs."""
        return self.temporal_address or f"127.0.0.1:{self.temporal_port}"

    @property
    def ui_origin(self) -> str:
        return self.temporal_ui_origin or f"http://127.0.0.1:{self.temporal_ui_port}"

    @property
    def embedded_temporal(self) -> bool:
        return self.temporal_address is None

    @property
    def embedded_postgres(self) -> bool:
        return self.database_url is None
