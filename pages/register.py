"""Kasir: ring up a sale, hold it, resume it, complete it and print its receipt.

The sale being typed is a `register.Draft` dict kept whole in the session
(other pages may hand one over through `register_prefill`); the widgets below
only change the fields they show.
"""

import datetime as dt

import streamlit as st

from office_core import customers, products, receipts, register, sales, settings
from office_core.dates import today
from office_core.errors import InvalidAmount
from office_core.money import format_rupiah, parse_rupiah
from office_core.platforms import list_platforms
from ui import sale_lines, state
from ui.format import escape_markdown
from ui.receipt import render_receipt

DRAFT = "reg_draft"
DONE = "reg_done"
FLASH = "reg_flash"
CLEARING = "reg_clearing"
FOLDED = "reg_receipt_folded"
HELD_SHOWN = "reg_held_shown"
PREFILL = "register_prefill"
HEADER_KEYS = (
    "reg_kind",
    "reg_platform",
    "reg_date",
    "reg_name",
    "reg_phone",
    "reg_payment",
    "reg_paid",
    "reg_notes",
)
WALK_IN, CUSTOMER, MARKETPLACE = "umum", "pelanggan", "platform"
KINDS = {
    WALK_IN: "Umum (tanpa data pelanggan)",
    CUSTOMER: "Pelanggan non-platform",
    MARKETPLACE: "Marketplace",
}
NAME_LABELS = {
    WALK_IN: "Nama pembeli (opsional)",
    CUSTOMER: "Nama pelanggan",
    MARKETPLACE: "Nama pengguna pembeli di marketplace (opsional)",
}


def new_draft() -> dict:
    """Return an empty sale for a walk-in buyer, with its own client token."""
    return register.Draft(walk_in=True).to_dict()


def load(draft: dict) -> None:
    """Make `draft` the sale on the counter; every widget reads it afresh."""
    st.session_state[DRAFT] = draft
    for key in HEADER_KEYS:
        st.session_state.pop(key, None)
    sale_lines.forget("reg")


def current_draft() -> dict:
    """Return the sale on the counter, taking over one handed in by another page."""
    handed = st.session_state.pop(PREFILL, None)
    if isinstance(handed, dict) and park_current():
        draft = dict(handed)
        draft["client_token"] = draft.get("client_token") or register.new_token()
        load(draft)
    if not isinstance(st.session_state.get(DRAFT), dict):
        load(new_draft())
    return st.session_state[DRAFT]


def park_current() -> bool:
    """Hold what is on the counter before another sale takes its place."""
    draft = st.session_state.get(DRAFT)
    if not isinstance(draft, dict) or register.Draft.from_dict(draft).is_empty():
        return True
    stale = state.read(register.stale_copy, draft)
    if stale is not None:
        # Holding it would overwrite, or be refused for, the newer version.
        flash(f"{stale} Perubahan di kasir ini tidak disimpan.")
        return True
    done, held = state.act(register.hold_sale, outgoing(draft))
    if done:
        flash(f"Penjualan sebelumnya ditahan sebagai {held.reference}.")
    return done


def outgoing(draft: dict) -> dict:
    """Return the draft as sent to office_core: only what this kind of sale carries.

    The page keeps a number or cash amount typed before the buyer or method
    was switched, in case it is switched back; neither is sent where it does
    not belong. A non-cash sale is paid its total (None tells office_core so).
    """
    sent = dict(draft)
    channels = {p.id: p for p in state.read(list_platforms)}
    if kind_of(sent, channels) != CUSTOMER:
        sent["customer_phone"] = ""
    if not sales.is_cash(sent.get("payment_method")):
        sent["amount_paid"] = None
    return sent


def flash(message: str) -> None:
    """Keep a message for the next run, after any kept earlier in this click."""
    earlier = st.session_state.get(FLASH)
    st.session_state[FLASH] = f"{earlier} {message}" if earlier else message


def bound(widget, label: str, key: str, value, **kwargs):
    """Show a widget that starts from the draft's value and keeps what is typed."""
    if key not in st.session_state:
        st.session_state[key] = value
    return widget(label, key=key, **kwargs)


def kind_of(draft: dict, channels: dict) -> str:
    """Tell which kind of buyer the draft is for."""
    platform = channels.get(draft.get("platform_id"))
    if platform is not None and platform.is_marketplace:
        return MARKETPLACE
    return WALK_IN if draft.get("walk_in") else CUSTOMER


def render_buyer(draft: dict, channels: dict) -> str:
    """Show the buyer's kind and details; return the kind."""
    direct = next(p for p in channels.values() if not p.is_marketplace)
    kind = bound(
        st.radio,
        "Pembeli",
        "reg_kind",
        kind_of(draft, channels),
        options=list(KINDS),
        format_func=KINDS.get,
        horizontal=True,
    )
    draft["walk_in"] = kind == WALK_IN
    if kind == MARKETPLACE:
        draft["platform_id"] = render_marketplace(draft, channels)
    else:
        draft["platform_id"] = direct.id
    render_contact(draft, kind)
    return kind


def render_marketplace(draft: dict, channels: dict) -> int:
    marketplaces = [p.id for p in channels.values() if p.is_marketplace]
    chosen = draft.get("platform_id")
    return bound(
        st.selectbox,
        "Platform",
        "reg_platform",
        chosen if chosen in marketplaces else marketplaces[0],
        options=marketplaces,
        format_func=lambda platform_id: channels[platform_id].name,
    )


def render_contact(draft: dict, kind: str) -> None:
    name, phone, day = st.columns([3, 3, 2])
    draft["customer_name"] = bound(
        name.text_input, NAME_LABELS[kind], "reg_name", draft["customer_name"],
        max_chars=register.TEXT_LIMITS["customer_name"],
    )  # fmt: skip
    draft["sold_on"] = bound(
        day.date_input, "Tanggal", "reg_date", as_date(draft.get("sold_on")),
        format="DD/MM/YYYY", max_value=today(),
    )  # fmt: skip
    if kind != CUSTOMER:
        # Kept in the draft for a switch back; `outgoing` never sends it.
        return
    draft["customer_phone"] = bound(
        phone.text_input, "Nomor WhatsApp", "reg_phone", draft["customer_phone"],
        placeholder="0812-3456-7890", max_chars=register.TEXT_LIMITS["customer_phone"],
        on_change=fill_known_name,
    )  # fmt: skip
    render_known_customer(phone, draft["customer_phone"])


def as_date(value: object) -> dt.date:
    """Return the draft's date for the date widget; today if none is readable."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return today()


def fill_known_name() -> None:
    """Fill the name of a customer the typed number already belongs to."""
    known = state.read(customers.find_customer, st.session_state.get("reg_phone"))
    if known is not None and not str(st.session_state.get("reg_name", "")).strip():
        st.session_state["reg_name"] = known.name


def render_known_customer(column, phone: str) -> None:
    if not phone.strip():
        return
    known = state.read(customers.find_customer, phone)
    if known is None:
        column.caption("Pelanggan baru: disimpan saat penjualan selesai.")
    else:
        column.caption(f"Pelanggan lama: {escape_markdown(known.name)}")


def render_lines(
    draft: dict, catalogue: list, kind: str
) -> tuple[int | None, list[str]]:
    """Show the lines and the total; return the total and what is wrong."""
    st.subheader("Produk")
    sale_lines.render_picker("reg", catalogue, draft["lines"])
    total, problems = sale_lines.render_lines("reg", draft["lines"], kind == CUSTOMER)
    # Right after a sale the receipt shows above; the empty form needs no note.
    if not draft["lines"] and DONE not in st.session_state:
        st.caption("Belum ada baris produk. Ketik kode atau nama produk di atas.")
    shown = "–" if total is None else format_rupiah(total)
    st.subheader(f"Total: {shown}")
    return total, problems


def render_payment(
    draft: dict, methods: list[str], total: int | None, problems: list[str]
) -> None:
    method, paid = st.columns(2)
    chosen = draft.get("payment_method")
    draft["payment_method"] = bound(
        method.selectbox, "Metode pembayaran", "reg_payment",
        chosen if chosen in methods else methods[0], options=methods,
    )  # fmt: skip
    if not sales.is_cash(draft["payment_method"]):
        # The typed amount stays in the draft for a switch back to cash.
        paid.caption("Dibayar sama dengan total (non-tunai).")
    else:
        draft["amount_paid"] = render_cash(
            paid, draft.get("amount_paid"), total, problems
        )
    draft["notes"] = bound(
        st.text_input, "Catatan", "reg_notes", draft.get("notes", ""),
        max_chars=sales.MAX_NOTES,
    )  # fmt: skip


def render_cash(column, typed: object, total: int | None, problems: list) -> object:
    """Show the cash handed over as typed, read by office_core's money parser."""
    text = bound(
        column.text_input, "Uang diterima (Rp)", "reg_paid",
        sale_lines.typed_text(typed), placeholder="Kosong = uang pas",
        max_chars=sale_lines.MAX_TYPED,
    ).strip()  # fmt: skip
    if not text:
        return None
    try:
        paid = parse_rupiah(text, "Dibayar")
    except InvalidAmount as exc:
        problems.append(exc.message)
        return text
    if total is not None:
        show_change(column, paid, total)
    return sale_lines.as_typed(text)


def show_change(column, paid: int, total: int) -> None:
    if paid >= total:
        column.caption(f"Kembalian: {format_rupiah(paid - total)}")
    else:
        column.caption(f"Kurang: {format_rupiah(total - paid)}")


def render_actions(draft: dict) -> bool:
    """Show the actions; return True if office_core refused one (already shown)."""
    complete, hold, clear = st.columns([2, 2, 1])
    refused = False
    if complete.button("Selesaikan Penjualan", type="primary", key="reg_complete"):
        refused = not finish(draft)
    if hold.button("Tahan dan Buat Baru", key="reg_hold"):
        refused = not hold_draft(draft)
    if clear.button("Kosongkan", key="reg_clear"):
        ask_to_clear(draft)
    render_clearing(draft)
    return refused


def ask_to_clear(draft: dict) -> None:
    """Discard the counter's draft; one with lines asks first."""
    if draft["lines"]:
        st.session_state[CLEARING] = True
    else:
        clear_counter()


def render_clearing(draft: dict) -> None:
    if not st.session_state.get(CLEARING):
        return
    held = " Penjualan tahannya tetap di daftar." if draft.get("held_id") else ""
    st.warning(f"Kosongkan kasir? Isian yang belum ditahan akan hilang.{held}")
    yes, no = st.columns(2)
    if yes.button("Ya, kosongkan", key="reg_clear_yes"):
        clear_counter()
    if no.button("Tidak", key="reg_clear_no"):
        st.session_state.pop(CLEARING, None)
        st.rerun()


def clear_counter() -> None:
    st.session_state.pop(CLEARING, None)
    load(new_draft())
    flash("Kasir dikosongkan.")
    st.rerun()


def finish(draft: dict) -> bool:
    """Record the sale once, however often the button reaches the server.

    Return False if it was refused (the refusal is on the page).
    """
    if not draft["lines"]:
        # A second click of a double click lands on the new, empty sale.
        if DONE not in st.session_state:
            st.warning("Belum ada baris produk. Tambahkan minimal satu produk.")
        return True
    done, sale = state.act(register.complete_sale, outgoing(draft))
    if not done:
        return False
    st.session_state[DONE] = sale.id
    st.session_state.pop(FOLDED, None)
    load(new_draft())
    st.rerun()


def hold_draft(draft: dict) -> bool:
    done, held = state.act(register.hold_sale, outgoing(draft))
    if not done:
        return False
    flash(f"Penjualan ditahan sebagai {held.reference}.")
    load(new_draft())
    st.rerun()


def render_held(draft: dict) -> None:
    st.subheader("Penjualan Ditahan")
    held = state.read(register.list_held)
    shown = [summary.id for summary in held]
    vanished_clicks(st.session_state.get(HELD_SHOWN, []), shown)
    st.session_state[HELD_SHOWN] = shown
    if not held:
        st.caption("Tidak ada penjualan yang ditahan.")
        return
    for summary in held:
        render_held_row(summary, draft)


def vanished_clicks(before: list[int], now: list[int]) -> None:
    """Say why a row clicked a moment ago is gone (completed or cancelled elsewhere).

    Its button is not drawn again, so without this the click would do nothing.
    """
    for held_id in set(before) - set(now):
        keys = (f"reg_resume_{held_id}", f"reg_cancel_{held_id}")
        if any(st.session_state.get(key) is True for key in keys):
            message = state.read(register.gone_message, held_id)
            st.warning(message)


def render_held_row(summary: register.HeldSummary, draft: dict) -> None:
    with st.container(border=True):
        about, resume, cancel = st.columns([6, 1, 1], vertical_alignment="center")
        opened = " · sedang dibuka" if draft.get("held_id") == summary.id else ""
        total = "–" if summary.total is None else format_rupiah(summary.total)
        about.markdown(
            f"**{summary.reference}** · {escape_markdown(summary.customer)} · "
            f"{escape_markdown(summary.platform)} · **{total}**{opened}"
        )
        about.caption(
            f"Ditahan oleh {escape_markdown(summary.created_by)}, "
            f"{summary.created_at:%d/%m/%Y %H:%M} · "
            + escape_markdown(", ".join(summary.lines) or "belum ada produk")
        )
        if resume.button("Lanjutkan", key=f"reg_resume_{summary.id}"):
            resume_held(summary)
        if cancel.button("Batal", key=f"reg_cancel_{summary.id}"):
            cancel_held(summary, draft)


def resume_held(summary: register.HeldSummary) -> None:
    if not park_current():
        return
    done, resumed = state.act(register.resume_held, summary.id)
    if not done:
        return
    load(resumed)
    flash(f"Penjualan tahan {summary.reference} dilanjutkan.")
    st.rerun()


def cancel_held(summary: register.HeldSummary, draft: dict) -> None:
    done, _ = state.act(register.cancel_held, summary.id, summary.version)
    if not done:
        return
    if draft.get("held_id") == summary.id:
        load(new_draft())
    flash(f"Penjualan tahan {summary.reference} dibatalkan.")
    st.rerun()


def render_completed(draft: dict) -> None:
    """Show the receipt of the sale just completed, until it is closed.

    It folds away once the next sale gets its first line.
    """
    sale_id = st.session_state.get(DONE)
    if sale_id is None:
        return
    receipt = state.read(receipts.receipt, sale_id)
    message = (
        f"Penjualan selesai. No faktur **{escape_markdown(receipt.invoice_no)}**, "
        f"total {format_rupiah(receipt.total)}"
    )
    if receipt.change:
        message += f", kembalian {format_rupiah(receipt.change)}"
    st.success(message + ".")
    key = f"reg_receipt_{sale_id}"
    if draft["lines"] and not st.session_state.get(FOLDED):
        # Once only: the cashier may open it again while typing the next sale.
        st.session_state[key] = False
        st.session_state[FOLDED] = True
    with st.expander(
        f"Struk {receipt.invoice_no}", expanded=True, key=key, on_change="rerun"
    ):
        render_receipt(receipt, "reg")
        if st.button("Tutup struk", key="reg_done_close"):
            st.session_state.pop(DONE, None)
            st.rerun()


def main() -> None:
    state.require_actor(admin_only=True)
    st.title("Kasir")
    draft = current_draft()
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.info(flash)
    render_completed(draft)
    catalogue = state.read(products.list_products)
    if not catalogue:
        st.info("Belum ada produk aktif. Tambahkan produk di halaman Produk.")
        st.stop()
    channels = {p.id: p for p in state.read(list_platforms)}
    kind = render_buyer(draft, channels)
    total, problems = render_lines(draft, catalogue, kind)
    render_payment(draft, state.read(settings.get, "payment_methods"), total, problems)
    box = st.container()
    # A refusal already names what is wrong: one message, not two.
    if not render_actions(draft):
        sale_lines.show_problems(box, problems)
    st.divider()
    render_held(draft)


main()
