"""Showing a completed sale's receipt: on screen, as a download and by WhatsApp."""

import base64

import streamlit as st

from office_core.receipts import Receipt

RECEIPT_HEIGHT = 560
# Inside the frame, so that printing prints the receipt and not the whole page.
PRINT_BUTTON = (
    "<style>@media print { .print-button { display: none; } }</style>\n"
    '<p class="print-button"><button type="button" onclick="window.print()">'
    "Cetak struk</button></p>\n"
)


def printable(html: str) -> str:
    """Return the receipt page with a print button that is not printed itself."""
    return html.replace("</body>", PRINT_BUTTON + "</body>", 1)


def render_receipt(receipt: Receipt, prefix: str) -> None:
    """Show the receipt with its print download and, if any, its WhatsApp link."""
    # A data: URL gives the frame an origin of its own: nothing in the receipt
    # could reach the app, even if some stored text slipped past escaping.
    encoded = base64.b64encode(printable(receipt.html).encode()).decode()
    st.iframe(f"data:text/html;base64,{encoded}", height=RECEIPT_HEIGHT)
    download, whatsapp = st.columns(2)
    download.download_button(
        "Unduh struk",
        receipt.html,
        file_name=f"struk-{receipt.invoice_no.replace('/', '-')}.html",
        mime="text/html",
        key=f"{prefix}_receipt_download",
        help="Buka file struk lalu cetak (Ctrl+P).",
    )
    if receipt.whatsapp_link:
        whatsapp.link_button(
            "Kirim struk via WA",
            receipt.whatsapp_link,
            key=f"{prefix}_receipt_wa",
        )
