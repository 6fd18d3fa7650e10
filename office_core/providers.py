"""WhatsApp providers that send reminders, behind one small interface.

Two are supported: Meta's WhatsApp Cloud API (an approved template with body
parameters, bearer token) and Fonnte (token header, `target` and `message`
form fields). Each answer is read as sent, a transient failure worth a retry
(timeout, connection error, 5xx, rate limit) or a permanent one.
"""

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import requests

from office_core.config import SECRETS

CLOUD_API = "cloud_api"
FONNTE = "fonnte"
CLOUD_API_URL = "https://graph.facebook.com/v21.0"
FONNTE_URL = "https://api.fonnte.com"
# Cloud API error codes: throughput limit, pair rate limit, temporary errors.
CLOUD_TRANSIENT_CODES = {4, 80007, 130429, 131000, 131016, 131056, 133004}
DEFAULT_PARAMS = ("nama", "produk", "tanggal_kedaluwarsa", "waktu")
ENV_PREFIX = "DWIGITAL_WA_"


@dataclass(frozen=True)
class SendResult:
    """What the provider answered to one message."""

    ok: bool
    message_id: str | None = None
    error: str = ""
    transient: bool = False
    retry_after: float | None = None


class Provider(Protocol):
    name: str

    def send(self, phone_e164: str, text: str, values: Mapping) -> SendResult:
        """Send one reminder; `values` fill a provider-side template."""


class ProviderError(Exception):
    """The provider settings are incomplete or unknown."""


@dataclass
class CloudApi:
    """WhatsApp Cloud API: POST {base}/{phone number id}/messages, a template."""

    token: str
    phone_number_id: str
    template: str
    language: str = "id"
    params: tuple[str, ...] = DEFAULT_PARAMS
    base_url: str = CLOUD_API_URL
    timeout: float = 10.0
    name: str = CLOUD_API

    def send(self, phone_e164: str, text: str, values: Mapping) -> SendResult:
        """Send the approved template with the values as body parameters."""
        body = {
            "messaging_product": "whatsapp",
            "to": phone_e164.removeprefix("+"),
            "type": "template",
            "template": {
                "name": self.template,
                "language": {"code": self.language},
                "components": [{"type": "body", "parameters": self._params(values)}],
            },
        }
        url = f"{self.base_url.rstrip('/')}/{self.phone_number_id}/messages"
        headers = {"Authorization": f"Bearer {self.token}"}
        return _post(url, self.timeout, _cloud_result, headers=headers, json=body)

    def _params(self, values: Mapping) -> list[dict]:
        return [{"type": "text", "text": str(values.get(p, ""))} for p in self.params]


@dataclass
class Fonnte:
    """Fonnte: POST {base}/send with the token header and form fields."""

    token: str
    base_url: str = FONNTE_URL
    timeout: float = 10.0
    name: str = FONNTE

    def send(self, phone_e164: str, text: str, values: Mapping) -> SendResult:
        """Send the filled reminder text to the number."""
        form = {
            "target": phone_e164.removeprefix("+"),
            "message": text,
            "countryCode": "62",
        }
        url = f"{self.base_url.rstrip('/')}/send"
        headers = {"Authorization": self.token}
        return _post(url, self.timeout, _fonnte_result, headers=headers, data=form)


def _post(url: str, timeout: float, read, **request) -> SendResult:
    try:
        response = requests.post(url, timeout=timeout, **request)
    except requests.Timeout:
        return SendResult(False, error="Batas waktu habis (timeout).", transient=True)
    except requests.RequestException as exc:
        return SendResult(False, error=f"Gagal terhubung: {exc}", transient=True)
    if response.status_code == 429 or response.status_code >= 500:
        return SendResult(
            False,
            error=f"HTTP {response.status_code}: {response.text[:200]}",
            transient=True,
            retry_after=_retry_after(response),
        )
    return read(response)


def _retry_after(response: requests.Response) -> float | None:
    try:
        return float(response.headers.get("Retry-After", ""))
    except ValueError:
        return None


def _json(response: requests.Response) -> dict:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _cloud_result(response: requests.Response) -> SendResult:
    data = _json(response)
    if response.ok and data.get("messages"):
        return SendResult(True, message_id=str(data["messages"][0].get("id", "")))
    error = data.get("error") or {}
    code = error.get("code")
    text = f"HTTP {response.status_code}, kode {code}: {error.get('message', '')}"
    return SendResult(False, error=text, transient=code in CLOUD_TRANSIENT_CODES)


def _fonnte_result(response: requests.Response) -> SendResult:
    data = _json(response)
    if response.ok and data.get("status") is True:
        ids = data.get("id") or [""]
        return SendResult(
            True, message_id=str(ids[0] if isinstance(ids, list) else ids)
        )
    reason = str(data.get("reason") or data.get("detail") or response.text[:200])
    # Fonnte answers 200 with status false; a rate or quota limit passes.
    transient = any(word in reason.lower() for word in ("rate", "limit", "busy"))
    return SendResult(False, error=f"Fonnte: {reason}", transient=transient)


def configured_provider(
    env: Mapping[str, str] | None = None, secrets: Path = SECRETS
) -> Provider | None:
    """Return the provider set in the environment or secrets.toml, or None.

    Environment variables DWIGITAL_WA_* win over the [whatsapp] table of
    .streamlit/secrets.toml.
    """
    settings = _settings(os.environ if env is None else env, secrets)
    kind = settings.get("provider", "").strip().lower()
    if not kind:
        return None
    if kind == CLOUD_API:
        return CloudApi(
            token=_required(settings, "token"),
            phone_number_id=_required(settings, "phone_number_id"),
            template=_required(settings, "template"),
            language=settings.get("language") or "id",
            params=_param_names(settings.get("template_params")),
            base_url=settings.get("base_url") or CLOUD_API_URL,
            timeout=float(settings.get("timeout") or 10),
        )
    if kind == FONNTE:
        return Fonnte(
            token=_required(settings, "token"),
            base_url=settings.get("base_url") or FONNTE_URL,
            timeout=float(settings.get("timeout") or 10),
        )
    raise ProviderError(f"Penyedia WhatsApp '{kind}' tidak dikenal.")


def _settings(env: Mapping[str, str], secrets: Path) -> dict[str, str]:
    try:
        with secrets.open("rb") as file:
            table = tomllib.load(file).get("whatsapp") or {}
    except (OSError, tomllib.TOMLDecodeError):
        table = {}
    values = {str(k): str(v) for k, v in table.items()}
    for name, value in env.items():
        if name.startswith(ENV_PREFIX) and value:
            values[name.removeprefix(ENV_PREFIX).lower()] = value
    return values


def _required(settings: dict[str, str], name: str) -> str:
    value = settings.get(name, "").strip()
    if not value:
        raise ProviderError(
            f"Pengaturan WhatsApp '{name}' belum diisi "
            f"({ENV_PREFIX}{name.upper()} atau [whatsapp] {name} di secrets.toml)."
        )
    return value


def _param_names(text: str | None) -> tuple[str, ...]:
    if not text:
        return DEFAULT_PARAMS
    names = json.loads(text) if text.startswith("[") else text.split(",")
    return tuple(name.strip() for name in names if name.strip())
