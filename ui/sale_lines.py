"""A sale's lines as editable rows: at the register and on a sale's own page.

Lines are plain dicts shaped like `register.DraftLine`. Their widgets are
keyed by position; whenever lines are removed or replaced, `forget` drops
those keys so that each widget reads its line again.

Numbers are typed in text boxes and judged by office_core alone: a number box
with limits would keep its last valid value while showing the typed one, so
the sale could record what the screen no longer shows.
"""

import streamlit as st

from office_core import register, sales
from office_core.durations import parse_duration
from office_core.errors import ValidationError
from office_core.money import format_rupiah
from office_core.text import whole_number
from ui.format import escape_markdown

MAX_TYPED = 20
LABELS = {
    "qty": "Jumlah",
    "unit_price": "Harga (Rp)",
    "discount": "Diskon (Rp)",
    "duration_months": "Durasi (bulan)",
}


def product_label(product) -> str:
    """Name a catalogue product the way the counter looks it up."""
    return f"{product.code} · {product.name} · {format_rupiah(product.price)}"


def new_line(product) -> dict:
    """Return one unit of `product` at its catalogue price and duration."""
    return {
        "product_id": product.id,
        "product_name": product.name,
        "qty": 1,
        "unit_price": product.price,
        "discount": 0,
        "duration_months": product.default_months,
    }


def render_picker(prefix: str, catalogue: list, lines: list[dict]) -> None:
    """Show the product search box; choosing a product adds it as a line."""
    by_id = {product.id: product for product in catalogue}
    st.selectbox(
        "Tambah produk",
        list(by_id),
        index=None,
        format_func=lambda product_id: product_label(by_id[product_id]),
        placeholder="Ketik sebagian kode atau nama produk…",
        key=f"{prefix}_add_product",
        on_change=_add_picked,
        args=(prefix, by_id, lines),
    )


def _add_picked(prefix: str, by_id: dict, lines: list[dict]) -> None:
    key = f"{prefix}_add_product"
    product = by_id.get(st.session_state.get(key))
    if product is not None:
        lines.append(new_line(product))
    st.session_state[key] = None


def forget(prefix: str) -> None:
    """Drop the line widgets' values, so they are read again from the lines."""
    for key in [k for k in st.session_state if str(k).startswith(f"{prefix}_line_")]:
        del st.session_state[key]


def render_lines(
    prefix: str, lines: list[dict], with_months: bool
) -> tuple[int | None, list[str]]:
    """Show each line with its inputs and subtotal.

    Return the total (None while a line cannot be priced) and what is wrong
    with the lines, for the page to show once, where it fits.
    """
    problems = [
        problem
        for position in range(len(lines))
        for problem in _render_line(prefix, lines, position, with_months)
    ]
    return register.draft_total(register.Draft.from_dict({"lines": lines})), problems


def _render_line(
    prefix: str, lines: list[dict], position: int, months: bool
) -> list[str]:
    line = lines[position]
    name, qty, price, discount, term, subtotal, remove = st.columns(
        [4, 2, 3, 3, 2, 3, 2], vertical_alignment="bottom"
    )
    name.markdown(f"**{escape_markdown(line.get('product_name') or '-')}**")
    for column, field in ((qty, "qty"), (price, "unit_price"), (discount, "discount")):
        line[field] = _number(column, prefix, line, field, position)
    problems = [_subtotal(subtotal, line)]
    if months:
        line["duration_months"] = _number(
            term, prefix, line, "duration_months", position
        )
        problems.append(_months_problem(line["duration_months"]))
    remove.button(
        "Hapus",
        key=f"{prefix}_line_remove_{position}",
        on_click=_remove,
        args=(prefix, lines, position),
    )
    return [f"Baris {position + 1}: {problem}" for problem in problems if problem]


def _number(column, prefix: str, line: dict, field: str, position: int) -> object:
    """Show a line's number as typed; return it as int when it is a plain one."""
    key = f"{prefix}_line_{field}_{position}"
    if key not in st.session_state:
        st.session_state[key] = typed_text(line.get(field))
    text = column.text_input(LABELS[field], key=key, max_chars=MAX_TYPED).strip()
    return as_typed(text)


def typed_text(value: object) -> str:
    """Return a stored number the way its text box shows it."""
    return "" if value is None else str(value)


def as_typed(text: str) -> object:
    """Keep a plain whole number as int and anything else as the text typed."""
    number = whole_number(text) if text else None
    return text if number is None else number


def _subtotal(column, line: dict) -> str | None:
    """Show the line's subtotal; return why it cannot be priced, if so."""
    try:
        amount = sales.line_total(line["unit_price"], line["qty"], line["discount"])
    except ValidationError as exc:
        column.markdown("–")
        return exc.message
    column.markdown(f"Subtotal  \n**{format_rupiah(amount)}**")
    return None


def _months_problem(value: object) -> str | None:
    try:
        parse_duration(value)
    except ValidationError as exc:
        return exc.message
    return None


def show_problems(box, problems: list[str]) -> None:
    """Show what is wrong with the lines, one warning each, in `box`."""
    for problem in problems:
        box.warning(problem)


def _remove(prefix: str, lines: list[dict], position: int) -> None:
    if position < len(lines):
        del lines[position]
    forget(prefix)
