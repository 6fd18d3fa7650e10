"""wa.me click-to-chat links and follow-up templates (PRODUCT.md §2)."""

import re
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from office_core.errors import ValidationError
from office_core.whatsapp import (
    DEFAULT_FOLLOW_UP,
    PLACEHOLDERS,
    check_template,
    render_template,
    time_left,
    whatsapp_link,
)

PHONE = "+6281234567890"
# What may appear in the text after encoding: unreserved characters and %XX.
ENCODED = re.compile(r"(?:[A-Za-z0-9_.~-]|%[0-9A-F]{2})*")


def split_link(link: str) -> tuple[str, str, str]:
    """Return (host, number, encoded text) of a wa.me link."""
    parts = urlsplit(link)
    assert parts.scheme == "https"
    assert parts.query.startswith("text=")
    return parts.netloc, parts.path.removeprefix("/"), parts.query.removeprefix("text=")


def test_link_uses_the_e164_digits_without_plus():
    host, number, _ = split_link(whatsapp_link(PHONE, "Halo"))

    assert host == "wa.me"
    assert number == "6281234567890"


@pytest.mark.parametrize(
    "phone",
    ["081234567890", "6281234567890x", "+1 555 0100", "+62", "", "+62٨١٢٣٤٥٦٧٨٩٠"],
)
def test_a_number_that_is_not_62_digits_is_refused(phone):
    with pytest.raises(ValidationError, match="tidak bisa dipakai untuk WhatsApp"):
        whatsapp_link(phone, "Halo")


def test_spaces_are_percent_20_never_plus():
    _, _, text = split_link(whatsapp_link(PHONE, "Halo Pak Arif"))

    assert text == "Halo%20Pak%20Arif"
    assert "+" not in text


@pytest.mark.parametrize(
    ("character", "encoded"),
    [("&", "%26"), ("#", "%23"), ("%", "%25"), ("+", "%2B"), ("\n", "%0A"),
     ("?", "%3F"), ("=", "%3D"), ("/", "%2F"), ("😀", "%F0%9F%98%80"),
     ("é", "%C3%A9")],
)  # fmt: skip
def test_characters_that_would_cut_or_change_the_text_are_encoded(character, encoded):
    _, _, text = split_link(whatsapp_link(PHONE, f"a{character}b"))

    assert text == f"a{encoded}b"


def test_a_message_with_every_tricky_character_survives_the_round_trip():
    message = "Halo Bu Sari & Pak #1,\ndiskon 10% + bonus 😀🎉\r\nTerima kasih!"
    link = whatsapp_link(PHONE, message)
    _, _, text = split_link(link)

    assert unquote(text, encoding="utf-8", errors="strict") == message
    assert link.count("?") == 1
    assert "#" not in link
    assert "&" not in link


@settings(max_examples=1000, deadline=None, database=None)
@given(st.text(max_size=300))
def test_any_text_survives_the_round_trip_exactly(message):
    link = whatsapp_link(PHONE, message)
    _, number, text = split_link(link)

    assert number == "6281234567890"
    assert ENCODED.fullmatch(text)
    assert unquote(text, encoding="utf-8", errors="strict") == message


def test_template_fills_every_placeholder():
    template = " | ".join("{" + name + "}" for name in PLACEHOLDERS)
    values = {name: f"<{name}>" for name in PLACEHOLDERS}

    rendered = render_template(template, values)

    assert rendered == " | ".join(f"<{name}>" for name in PLACEHOLDERS)


def test_default_template_is_accepted_and_names_the_customer_and_expiry():
    check_template(DEFAULT_FOLLOW_UP)
    rendered = render_template(
        DEFAULT_FOLLOW_UP,
        {"nama": "Pak Arif", "produk": "GPT", "tanggal_kedaluwarsa": "07 Desember 2025",
         "sisa_hari": 5, "waktu": "5 hari lagi", "no_faktur": "DW250900001",
         "nama_usaha": "Dwigital"},
    )  # fmt: skip

    assert "Pak Arif" in rendered
    assert "07 Desember 2025" in rendered
    assert "DW250900001" in rendered
    assert "(5 hari lagi)" in rendered
    assert "{" not in rendered


@pytest.mark.parametrize("template", ["Halo {nama}, kode {kupon}", "Hai {Nama}", "{}"])
def test_unknown_placeholder_is_refused_in_indonesian(template):
    with pytest.raises(ValidationError, match="Placeholder tidak dikenal"):
        check_template(template)


@pytest.mark.parametrize("template", ["Halo {nama", "Halo nama}", "Halo {{nama}}"])
def test_a_template_with_an_unbalanced_brace_is_refused(template):
    with pytest.raises(ValidationError, match="Kurung kurawal"):
        check_template(template)


def test_refusal_lists_the_placeholders_that_may_be_used():
    with pytest.raises(ValidationError) as refused:
        check_template("Halo {kupon}")

    assert "kupon" in refused.value.message
    for name in PLACEHOLDERS:
        assert "{" + name + "}" in refused.value.message


@pytest.mark.parametrize("template", ["", "   ", "\n"])
def test_empty_template_is_refused(template):
    with pytest.raises(ValidationError, match="tidak boleh kosong"):
        check_template(template)


def test_values_containing_braces_are_not_expanded_again():
    rendered = render_template(
        "Halo {nama}, produk {produk}",
        {"nama": "{produk}", "produk": "{nama_usaha} {{x}}"},
    )

    assert rendered == "Halo {produk}, produk {nama_usaha} {{x}}"


@settings(max_examples=1000, deadline=None, database=None)
@given(name=st.text(max_size=60), product=st.text(max_size=60))
def test_rendering_puts_each_value_in_verbatim(name, product):
    rendered = render_template(
        "Halo {nama}! {produk}.", {"nama": name, "produk": product}
    )

    assert rendered == f"Halo {name}! {product}."


def test_a_rendered_template_round_trips_through_the_link():
    message = render_template(
        "Halo {nama} & {produk}\n#{no_faktur}",
        {"nama": "Sari 😀", "produk": "GPT+ 100%", "no_faktur": "DW250900001"},
    )
    _, _, text = split_link(whatsapp_link(PHONE, message))

    assert unquote(text) == "Halo Sari 😀 & GPT+ 100%\n#DW250900001"


def test_time_left_says_today_ahead_and_past_in_words():
    assert time_left(3) == "3 hari lagi"
    assert time_left(0) == "hari ini"
    assert time_left(-16) == "sudah lewat 16 hari"
