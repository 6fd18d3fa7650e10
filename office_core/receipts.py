"""Receipts (struk) of completed sales: a printable page and a WhatsApp summary."""

from dataclasses import dataclass
from html import escape

from sqlalchemy.orm import Session

from office_core import sales, settings
from office_core.dates import expiry_date, format_date_id
from office_core.durations import format_duration
from office_core.errors import ValidationError
from office_core.models import Sale, SaleLine
from office_core.money import format_rupiah
from office_core.phones import display_phone
from office_core.whatsapp import whatsapp_link

VOID_MARK = "DIBATALKAN"
STYLE = """
body { font-family: "DejaVu Sans Mono", monospace; font-size: 12px;
       max-width: 76mm; margin: 0 auto; padding: 4mm; color: #000; }
h1 { font-size: 16px; text-align: center; margin: 0 0 2mm; }
p { margin: 1mm 0; }
table { width: 100%; border-collapse: collapse; }
td { padding: 1mm 0; vertical-align: top; }
td.amount { text-align: right; white-space: nowrap; }
.line td { border-top: 1px dashed #000; }
.total td { border-top: 1px solid #000; font-weight: bold; }
.void { border: 2px solid #000; text-align: center; font-weight: bold; }
.thanks { text-align: center; margin-top: 4mm; }
@media print { @page { size: 80mm auto; margin: 0; } }
"""


def receipt_html(sale: Sale, business_name: str) -> str:
    """Return a self-contained printable receipt page for `sale`."""
    title = f"Struk {sale.invoice_no or ''}".strip()
    body = "\n".join(
        [
            f"<h1>{escape(business_name)}</h1>",
            _void_banner(sale),
            _header_html(sale),
            "<table>",
            *(_line_html(sale, line) for line in sale.lines),
            _totals_html(sale),
            "</table>",
            _notes_html(sale),
            '<p class="thanks">Terima kasih atas pembelian Anda.</p>',
        ]
    )
    return (
        '<!DOCTYPE html>\n<html lang="id">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def _void_banner(sale: Sale) -> str:
    if sale.status != sales.VOID:
        return ""
    return f'<p class="void">{VOID_MARK}</p>'


def _header_html(sale: Sale) -> str:
    rows = [(label, value) for label, value in _header(sale) if value]
    return "\n".join(
        f"<p>{escape(label)}: {escape(value)}</p>" for label, value in rows
    )


def _header(sale: Sale) -> list[tuple[str, str]]:
    return [
        ("No faktur", sale.invoice_no or ""),
        ("Tanggal", format_date_id(sale.sold_on)),
        ("Platform", sale.platform.name),
        ("Pelanggan", sale.customer_name or "Umum"),
        ("WhatsApp", display_phone(sale.customer_phone) if sale.customer_phone else ""),
    ]


def _line_html(sale: Sale, line: SaleLine) -> str:
    detail = f"{line.qty} × {format_rupiah(line.unit_price)}"
    if line.discount:
        detail += f", diskon {format_rupiah(line.discount)}"
    term = _term(sale, line)
    extra = f"<br>{escape(term)}" if term else ""
    return (
        f'<tr class="line"><td>{escape(line.product_name)}<br>{escape(detail)}'
        f'{extra}</td><td class="amount">{escape(format_rupiah(line.subtotal))}'
        "</td></tr>"
    )


def _term(sale: Sale, line: SaleLine) -> str:
    """Say how long a subscription line runs, e.g. `3 bulan, s.d. 07 Desember 2025`."""
    if not line.duration_months:
        return ""
    ends = format_date_id(expiry_date(sale.sold_on, line.duration_months))
    return f"{format_duration(line.duration_months)}, s.d. {ends}"


def _totals_html(sale: Sale) -> str:
    rows = [
        ("Total", sale.total, "total"),
        (f"Dibayar ({sale.payment_method})", sale.amount_paid, ""),
        ("Kembalian", sale.change, ""),
    ]
    return "\n".join(
        f'<tr class="{css}"><td>{escape(label)}</td>'
        f'<td class="amount">{escape(format_rupiah(amount))}</td></tr>'
        for label, amount, css in rows
    )


def _notes_html(sale: Sale) -> str:
    if not sale.notes:
        return ""
    return f"<p>Catatan: {escape(sale.notes)}</p>"


def receipt_text(sale: Sale, business_name: str = "") -> str:
    """Return the receipt as a short plain-text message for WhatsApp."""
    head = [f"*{business_name}*"] if business_name.strip() else []
    head += [f"Struk {sale.invoice_no or ''}".strip(), *_text_header(sale), ""]
    if sale.status == sales.VOID:
        head.insert(0, f"*{VOID_MARK}*")
    lines = [
        _line_text(sale, number, line) for number, line in enumerate(sale.lines, 1)
    ]
    totals = [
        "",
        f"Total: {format_rupiah(sale.total)}",
        f"Dibayar ({sale.payment_method}): {format_rupiah(sale.amount_paid)}",
    ]
    if sale.change:
        totals.append(f"Kembalian: {format_rupiah(sale.change)}")
    return "\n".join([*head, *lines, *totals, "", "Terima kasih!"])


def _text_header(sale: Sale) -> list[str]:
    header = dict(_header(sale))
    return [
        f"Tanggal: {header['Tanggal']}",
        f"Pelanggan: {header['Pelanggan']}",
    ]


def _line_text(sale: Sale, number: int, line: SaleLine) -> str:
    text = f"{number}. {line.product_name}"
    term = _term(sale, line)
    if term:
        text += f" ({term})"
    text += f"\n   {line.qty} × {format_rupiah(line.unit_price)}"
    if line.discount:
        text += f" − diskon {format_rupiah(line.discount)}"
    return text + f" = {format_rupiah(line.subtotal)}"


def receipt_whatsapp_link(sale: Sale, business_name: str = "") -> str:
    """Return the wa.me link that sends the receipt to a non-platform customer."""
    if sale.platform.is_marketplace or not sale.customer_phone:
        raise ValidationError(
            "Struk via WhatsApp hanya untuk pelanggan non-platform dengan nomor WA."
        )
    if sale.status == sales.VOID:
        raise ValidationError("Penjualan ini sudah dibatalkan; struknya tidak dikirim.")
    return whatsapp_link(sale.customer_phone, receipt_text(sale, business_name))


@dataclass(frozen=True)
class Receipt:
    """What a page shows of a completed sale's receipt."""

    sale_id: int
    invoice_no: str
    total: int
    change: int
    html: str
    whatsapp_link: str | None


def receipt(session: Session, sale_id: int) -> Receipt:
    """Return the printable receipt of a sale and, if it can be sent, its WA link."""
    sale = sales.get_sale(session, sale_id)
    business = str(settings.get(session, "business_name"))
    direct = not sale.platform.is_marketplace and sale.customer_phone
    sendable = direct and sale.status != sales.VOID
    return Receipt(
        sale_id=sale.id,
        invoice_no=sale.invoice_no or f"#{sale.id}",
        total=sale.total,
        change=sale.change,
        html=receipt_html(sale, business),
        whatsapp_link=receipt_whatsapp_link(sale, business) if sendable else None,
    )
