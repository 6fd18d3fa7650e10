"""Every parser and validator against 1,000 generated inputs each.

Each may accept a value or refuse it with its documented error, whose message
is one readable Indonesian sentence; nothing else may escape, whatever a
browser, a form or a spreadsheet sends.
"""

import datetime as dt
import re
from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from office_core import legacy_import as li
from office_core import register, sales
from office_core.accounts import check_password
from office_core.customers import clean_name
from office_core.dates import parse_date
from office_core.durations import MAX_MONTHS, MIN_MONTHS, parse_duration
from office_core.errors import (
    InvalidAmount,
    InvalidDate,
    InvalidDuration,
    InvalidPhoneNumber,
    OfficeError,
    ValidationError,
)
from office_core.grid import read_changes
from office_core.money import MAX_AMOUNT, parse_rupiah
from office_core.phones import normalize_phone
from office_core.platforms import check_fee_percent
from office_core.settings import check_invoice_prefix
from office_core.text import clean_text
from office_core.whatsapp import PLACEHOLDERS, check_template, render_template
from tests.unit.test_legacy_import import (
    PLATFORMS,
    PRODUCTS,
    PRODUCTS_HEADER,
    SALES_HEADER,
    WITHDRAWALS_HEADER,
)

THOUSAND = settings(max_examples=1000, deadline=None, database=None)
# Words a Python error would show and a user should never see.
LEAKS = re.compile(
    r"Traceback|object has no attribute|invalid literal|NoneType|"
    r"unsupported operand|<[a-z_.]+ object at|Error\(|KeyError|TypeError"
)
INDONESIAN = re.compile(
    r"\b(tidak|harus|wajib|boleh|terlalu|bukan|dikenal|minimal|maksimal|kosong|"
    r"terbaca|sah|berisi|diisi|ada|dapat|paling|Gunakan)\b",
    re.IGNORECASE,
)

# What a forged request can carry: text, numbers of every kind, and junk.
ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.text(max_size=60),
    st.from_regex(r"\A(Rp|IDR)? ?-?[0-9.,]{0,20}(rb|jt|k|,-)?\Z"),
    st.binary(max_size=20),
    st.dates(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def assert_readable(error: OfficeError) -> None:
    """A refusal is one short Indonesian sentence with no Python internals."""
    message = error.message
    assert isinstance(message, str) and message.strip()
    assert len(message) < 2_000
    assert not LEAKS.search(message), message
    assert INDONESIAN.search(message), message


def accepts_or_refuses(function, value, error=ValidationError):
    """Return what `function` gives for `value`, or None if it refused as documented."""
    try:
        return function(value)
    except error as refused:
        assert_readable(refused)
        return None


@THOUSAND
@given(ANYTHING)
def test_amounts_are_whole_rupiah_in_range_or_refused_as_invalid_amount(value):
    amount = accepts_or_refuses(parse_rupiah, value, InvalidAmount)

    assert amount is None or (type(amount) is int and 0 <= amount <= MAX_AMOUNT)


@THOUSAND
@given(st.one_of(ANYTHING, st.from_regex(r"\A[0-9]{1,4}[-/. ][0-9a-zA-Z]{1,9}.*\Z")))
def test_dates_are_real_days_or_refused_as_invalid_date(value):
    day = accepts_or_refuses(parse_date, value, InvalidDate)

    assert day is None or type(day) is dt.date


@THOUSAND
@given(st.one_of(ANYTHING, st.from_regex(r"\A-?[0-9]{1,4} ?(bulan|bln|thn|tahun)?\Z")))
@example(float("inf"))  # once an OverflowError from a forged grid cell
def test_durations_are_months_in_range_or_refused_as_invalid_duration(value):
    months = accepts_or_refuses(parse_duration, value, InvalidDuration)

    assert months is None or MIN_MONTHS <= months <= MAX_MONTHS


@THOUSAND
@given(st.one_of(ANYTHING, st.from_regex(r"\A(\+62|62|0)?8[0-9 \-]{0,14}\Z")))
def test_phone_numbers_are_indonesian_mobiles_or_refused(value):
    phone = accepts_or_refuses(normalize_phone, value, InvalidPhoneNumber)

    assert phone is None or re.fullmatch(r"\+628\d{7,11}", phone)


TEMPLATE_PARTS = st.lists(
    st.one_of(
        st.text(max_size=20),
        st.sampled_from([f"{{{name}}}" for name in PLACEHOLDERS]),
        st.sampled_from(["{", "}", "{}", "{0}", "{nama!r}", "{a.b}", "{{", "}}"]),
    ),
    max_size=8,
)


@THOUSAND
@given(TEMPLATE_PARTS, st.text(max_size=30))
def test_whatsapp_templates_render_or_are_refused(parts, value):
    template = "".join(parts)

    checked = accepts_or_refuses(check_template, template)

    if checked is not None:
        values = dict.fromkeys(PLACEHOLDERS, value)
        assert isinstance(accepts_or_refuses(_render(values), checked), str | None)


def _render(values):
    return lambda template: render_template(template, values)


@THOUSAND
@given(ANYTHING, st.integers(min_value=1, max_value=200), st.booleans())
def test_text_is_cleaned_or_refused(value, limit, required):
    text = accepts_or_refuses(
        lambda v: clean_text(v, "Catatan", limit, required), value
    )

    if text is not None:
        assert len(text) <= limit and text == text.strip()
        assert text or not required


@THOUSAND
@given(ANYTHING)
def test_customer_names_are_tidy_or_refused(value):
    name = accepts_or_refuses(clean_name, value)

    assert name is None or (name and "  " not in name)


@THOUSAND
@given(ANYTHING)
def test_invoice_prefixes_and_fees_are_accepted_or_refused(value):
    prefix = accepts_or_refuses(check_invoice_prefix, value)
    fee = accepts_or_refuses(check_fee_percent, value)

    assert prefix is None or prefix == prefix.strip()
    assert fee is None or (isinstance(fee, Decimal) and 0 <= fee <= 100)


@THOUSAND
@given(st.one_of(st.none(), st.text(max_size=80)))
def test_passwords_are_accepted_or_refused_with_the_rule(value):
    assert accepts_or_refuses(check_password, value) is None


GRID_STATE = st.one_of(
    ANYTHING,
    st.fixed_dictionaries(
        {},
        optional={
            "edited_rows": st.one_of(
                ANYTHING,
                st.dictionaries(
                    st.one_of(st.integers(-2, 5), st.text(max_size=3)),
                    st.one_of(
                        ANYTHING,
                        st.dictionaries(
                            st.sampled_from(["amount", "notes", "id", "x"]), ANYTHING
                        ),
                    ),
                    max_size=3,
                ),
            ),
            "added_rows": st.one_of(ANYTHING, st.lists(ANYTHING, max_size=2)),
            "deleted_rows": st.one_of(ANYTHING, st.lists(ANYTHING, max_size=3)),
        },
    ),
)


@THOUSAND
@given(GRID_STATE)
def test_a_forged_grid_state_is_read_or_refused(state):
    changes = accepts_or_refuses(
        lambda s: read_changes(s, [10, 11, 12], {"amount", "notes"}), state
    )

    if changes is not None:
        assert set(changes.updated) <= {10, 11, 12}
        assert set(changes.deleted) <= {10, 11, 12}
        assert all(set(values) <= {"amount", "notes"} for values in changes.added)


DRAFT = st.one_of(
    ANYTHING,
    st.fixed_dictionaries(
        {},
        optional={
            "platform_id": ANYTHING,
            "sold_on": ANYTHING,
            "customer_phone": ANYTHING,
            "amount_paid": ANYTHING,
            "walk_in": ANYTHING,
            "lines": st.one_of(ANYTHING, st.lists(st.dictionaries(
                st.sampled_from(["product_id", "qty", "unit_price", "discount"]),
                ANYTHING,
            ), max_size=2)),
        },
    ),
)  # fmt: skip


@THOUSAND
@given(DRAFT, ANYTHING)
def test_a_forged_register_draft_and_token_are_read_or_refused(draft, token):
    parsed = accepts_or_refuses(register.Draft.from_dict, draft)
    checked = accepts_or_refuses(sales.check_client_token, token)

    assert parsed is None or isinstance(parsed, register.Draft)
    assert checked is None or isinstance(checked, str)


CELL = st.one_of(
    st.text(max_size=25),
    st.from_regex(r"\A(Rp ?)?[0-9.,]{1,12}\Z"),
    st.from_regex(r"\A[0-9]{1,2}[/-][0-9]{1,2}[/-][0-9]{2,4}\Z"),
    st.sampled_from(["Shopee", "Non Platform", "", "Total", "081298760001", "3"]),
    st.sampled_from([product.name for product in PRODUCTS]),
)
HEADERS = {
    li.SALES: SALES_HEADER,
    li.WITHDRAWALS: WITHDRAWALS_HEADER,
    li.PRODUCTS: PRODUCTS_HEADER,
}


@THOUSAND
@given(
    st.sampled_from(sorted(HEADERS)),
    st.lists(st.lists(CELL, min_size=0, max_size=15), max_size=6),
)
def test_import_rows_are_ready_or_reported_never_raised(kind, rows):
    header = tuple(HEADERS[kind].split(","))
    table = li.Table(header, tuple(enumerate(map(tuple, rows), start=2)))

    preview = li.parse_table(
        kind, "berkas.csv", table, li.Catalogue(PLATFORMS, PRODUCTS)
    )

    assert preview.rows == len(rows)
    for problem in preview.problems:
        assert problem.reason.strip() and not LEAKS.search(problem.reason)


@THOUSAND
@given(st.binary(max_size=300), st.sampled_from(["a.csv", "a.xlsx", "a.txt", "a"]))
def test_uploaded_bytes_are_read_or_refused(data, name):
    table = accepts_or_refuses(lambda d: li.read_table(name, d), data)

    assert table is None or isinstance(table, li.Table)
