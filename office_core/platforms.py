"""The sales channels: marketplaces and the non-platform (direct) channel."""

from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from office_core import audit
from office_core.accounts import Actor, require_admin
from office_core.errors import UnknownPlatform, ValidationError
from office_core.models import Platform

NON_PLATFORM = "Non Platform"

_ALIASES = {
    "tokped": "Tokopedia",
    "toped": "Tokopedia",
    "tiktok": "TikTok Shop",
    "tiktokshop": "TikTok Shop",
    "tts": "TikTok Shop",
    "-": NON_PLATFORM,
    "nonplatform": NON_PLATFORM,
    "non": NON_PLATFORM,
    "langsung": NON_PLATFORM,
    "whatsapp": NON_PLATFORM,
    "wa": NON_PLATFORM,
}


def _key(text: str) -> str:
    return "".join(str(text).casefold().split()).replace("_", "").replace("-", "") or (
        "-" if str(text).strip() == "-" else ""
    )


def list_platforms(session: Session, marketplaces_only: bool = False) -> list[Platform]:
    """Return the active platforms, marketplaces first, in a stable order."""
    query = (
        select(Platform)
        .where(Platform.active)
        .order_by(Platform.is_marketplace.desc(), Platform.id)
    )
    if marketplaces_only:
        query = query.where(Platform.is_marketplace)
    return list(session.scalars(query))


def resolve_platform(
    session: Session, text: object, marketplaces_only: bool = False
) -> Platform:
    """Return the platform that `text` names, however it was spelled."""
    return match_platform(list_platforms(session, marketplaces_only), text)


def match_platform(platforms: list[Platform], text: object) -> Platform:
    """Return the platform among `platforms` that `text` names."""
    wanted = _key(str(text or "").strip())
    wanted_name = _ALIASES.get(wanted)
    for platform in platforms:
        if _key(platform.name) == wanted or platform.name == wanted_name:
            return platform
    names = ", ".join(p.name for p in platforms)
    raise UnknownPlatform(f"Platform '{text}' tidak dikenal. Pilihan: {names}.")


def platform_by_id(
    session: Session, platform_id: int, marketplaces_only: bool = False
) -> Platform:
    """Return an active platform by id, refusing unknown or inactive ones."""
    platform = session.get(Platform, platform_id)
    if platform is None or not platform.active:
        raise UnknownPlatform(f"Platform dengan id {platform_id} tidak dikenal.")
    if marketplaces_only and not platform.is_marketplace:
        raise UnknownPlatform(
            f"Penarikan dana hanya dari marketplace, bukan '{platform.name}'."
        )
    return platform


def set_fee_percent(
    session: Session, actor: Actor, platform_id: int, percent: object
) -> Platform:
    """Set the share of each sale a marketplace keeps as its fee; admins only."""
    require_admin(session, actor)
    platform = platform_by_id(session, platform_id, marketplaces_only=True)
    fee = check_fee_percent(percent)
    before = {"fee_percent": str(platform.fee_percent)}
    platform.fee_percent = fee
    audit.record(
        session,
        actor.username,
        "update",
        "platform",
        platform.id,
        before,
        {"fee_percent": str(fee)},
    )
    return platform


def check_fee_percent(percent: object) -> Decimal:
    """Return a fee percentage 0–100 with at most two decimals, or refuse it."""
    text = str(percent).strip().replace(",", ".")
    try:
        fee = Decimal(text)
    except InvalidOperation:
        fee = None
    if fee is None or not fee.is_finite() or not 0 <= fee <= 100:
        raise ValidationError(f"Biaya platform '{percent}' harus angka 0–100 (%).")
    if fee != fee.quantize(Decimal("0.01")):
        raise ValidationError(
            f"Biaya platform '{percent}' paling banyak dua angka di belakang koma."
        )
    return fee.quantize(Decimal("0.01"))
