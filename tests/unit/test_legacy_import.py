"""Reading the legacy spreadsheets: formats, grouping, duplicates, problems."""

import csv
import datetime as dt
import io

import openpyxl
import pytest

from office_core import legacy_import as li
from office_core.errors import ValidationError
from office_core.models import Platform, Product
from tests.paths import legacy_file

PLATFORMS = [
    Platform(id=1, name="Shopee", is_marketplace=True, active=True),
    Platform(id=2, name="Tokopedia", is_marketplace=True, active=True),
    Platform(id=3, name="TikTok Shop", is_marketplace=True, active=True),
    Platform(id=4, name="Lazada", is_marketplace=True, active=True),
    Platform(id=5, name="Non Platform", is_marketplace=False, active=True),
]
SALES_HEADER = (
    "Tanggal,No Faktur,Customer,Produk,Platform,Nama Konsumen,No HP,Durasi,Harga,"
    "Qty,Diskon,Total,Pembayaran,Keterangan"
)
WITHDRAWALS_HEADER = "Tanggal,Sumber Dana,Nominal,Keterangan"
PRODUCTS_HEADER = "Kode,Nama Produk,Harga,Durasi Default (bulan)"
WALK_IN = "Walk in Customer"


def catalogue_products() -> list[Product]:
    with legacy_file("produk.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        Product(
            id=number,
            code=row["Kode"],
            name=row["Nama Produk"],
            price=int(row["Harga"]),
            default_months=int(row["Durasi Default (bulan)"]),
        )
        for number, row in enumerate(rows, start=1)
    ]


PRODUCTS = catalogue_products()
PRODUCT_IDS = {product.name: product.id for product in PRODUCTS}


def preview(kind: str, lines: list[str], name="berkas.csv", products=PRODUCTS):
    data = "\n".join(lines).encode()
    table = li.read_table(name, data)
    return li.parse_table(kind, name, table, li.Catalogue(PLATFORMS, products))


def sales(*rows: str) -> li.Preview:
    return preview(li.SALES, [SALES_HEADER, *rows])


def where(result: li.Preview, level=li.ERROR) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.value) for p in result.problems if p.level == level]


def accounted_for(result: li.Preview) -> int:
    return (
        result.skipped
        + result.duplicates
        + result.problem_rows
        + result.ready_rows
        + result.already_rows
    )


@pytest.mark.parametrize(
    ("typed_date", "price", "total", "amount"),
    [
        ("07/09/2025", "Rp 1.500.000", "1500000", 1_500_000),
        ("7/9/2025", "Rp150.000,00", "150.000", 150_000),
        ("07-09-2025", "150000", "Rp 150.000", 150_000),
        ("07 September 2025", "150.000", "Rp150.000,00", 150_000),
        ("7 Sep 2025", "Rp 150.000", "150000", 150_000),
    ],
)
def test_dates_and_amounts_are_read_as_the_files_write_them(
    typed_date, price, total, amount
):
    result = sales(
        f'{typed_date},DW250900001,budi88,MS 365,Tokped,,,,"{price}",1,,"{total}",'
        "Saldo Tokopedia,"
    )

    [item] = result.items
    draft = item.values.draft
    assert draft.sold_on == dt.date(2025, 9, 7)
    assert draft.platform_id == 2
    assert draft.lines[0].product_id == PRODUCT_IDS["Microsoft 365 Family"]
    assert draft.lines[0].unit_price == amount
    assert item.summary["Total"] == amount


def test_a_non_platform_line_carries_name_phone_and_duration():
    result = sales(
        "04/01/2025,DW250100007,Walk in Customer,disney+ hotstar,Non Platform,"
        "Mas Wadi Nasyiah,0814-9603-699,3 bln,Rp 35.000,1,,Rp 35.000,Transfer BCA,",
    )

    [item] = result.items
    draft = item.values.draft
    assert draft.platform_id == 5
    assert draft.customer_name == "Mas Wadi Nasyiah"
    assert draft.customer_phone == "+628149603699"
    assert draft.lines[0].product_id == PRODUCT_IDS["Disney+ Hotstar"]
    assert draft.lines[0].duration_months == 3


@pytest.mark.parametrize(
    ("typed", "months"), [("1 bulan", 1), ("3 Bulan", 3), ("12 bln", 12), ("1 thn", 12)]
)
def test_durations_are_read_in_months(typed, months):
    result = sales(
        f"05/01/2025,DW250100010,{WALK_IN},Vidio,-,Kartika,08135080048,{typed},"
        "30000,1,,30000,GoPay,"
    )

    assert result.items[0].values.draft.lines[0].duration_months == months


def test_a_marketplace_sale_names_the_buyer_from_the_customer_column():
    result = sales(
        "02/01/2025,DW250100001,qkuswandari,Vidio Platinum,tiktok shop,,,,"
        "Rp 30.000,1,,30000,Saldo TikTok Shop,garansi full"
    )

    draft = result.items[0].values.draft
    assert (draft.platform_id, draft.customer_name, draft.customer_phone) == (
        3,
        "qkuswandari",
        "",
    )
    assert draft.lines[0].duration_months is None
    assert draft.notes == "garansi full"


def test_the_payment_method_is_kept_as_written():
    result = sales(
        "02/01/2025,DW250100001,ani,Netflix,Shopee,,,,45000,1,,45000,Saldo ShopeePay "
        "Later,"
    )

    assert result.items[0].values.draft.payment_method == "Saldo ShopeePay Later"


def test_every_spelling_in_the_real_sales_file_is_understood():
    data = legacy_file("penjualan.csv").read_bytes()
    table = li.read_table("penjualan.csv", data)
    result = li.parse_table(
        li.SALES, "penjualan.csv", table, li.Catalogue(PLATFORMS, PRODUCTS)
    )

    columns = {problem.column for problem in result.errors}
    assert columns == {"No HP"}, [p for p in result.errors if p.column != "No HP"]
    assert [p.value for p in result.errors] == ["081194", "0857-1", "081518"]
    assert accounted_for(result) == result.rows


def test_every_line_of_the_real_withdrawals_file_is_understood():
    data = legacy_file("withdraw.csv").read_bytes()
    table = li.read_table("withdraw.csv", data)
    result = li.parse_table(
        li.WITHDRAWALS, "withdraw.csv", table, li.Catalogue(PLATFORMS, PRODUCTS)
    )

    assert result.problems == []
    assert len(result.items) == result.rows == 171


def test_lines_sharing_an_invoice_and_a_buyer_are_one_sale():
    result = sales(
        "05/01/2025,DW250100011,Walk in Customer,Youtube Premium,,Dwi,08324373233,"
        "1 bulan,20000,1,,Rp 20.000,Transfer BCA,perpanjang",
        "5/1/2025,DW250100011,Walk in Customer,CapCut,,Dwi,0832-4373-233,1 Bulan,"
        "40000,2,Rp 5.000,75000,Transfer BCA,",
    )

    [item] = result.items
    assert item.key == "DW250100011"
    assert item.rows == (2, 3)
    assert [line.qty for line in item.values.draft.lines] == [1, 2]
    assert item.summary["Total"] == 95_000
    assert result.problems == []


def test_an_invoice_reused_by_other_buyers_is_renumbered_in_file_order():
    result = sales(
        "12/02/2025,DW250200050,ypadmasari,Netflix,SHOPEE ,,,,45000,1,,45000,"
        "Saldo Shopee,",
        "12/02/2025,DW250200050,janeuwais,Netflix,SHOPEE ,,,,45000,1,,45000,"
        "Saldo Shopee,",
        "12/2/2025,DW250200050,jnamaga,Spotify,SHOPEE ,,,,25000,1,,25000,Saldo Shopee,",
        "12/02/2025,DW250200050,ypadmasari,GPT,SHOPEE ,,,,85000,1,,85000,Saldo Shopee,",
    )

    numbers = {item.key: item.rows for item in result.items}
    assert numbers == {
        "DW250200050": (2, 5),
        "DW250200050-2": (3,),
        "DW250200050-3": (4,),
    }
    warnings = [(p.row, p.column, p.value) for p in result.warnings]
    assert warnings == [
        (3, "No Faktur", "DW250200050"),
        (4, "No Faktur", "DW250200050"),
    ]
    assert "DW250200050-3" in result.warnings[1].reason
    assert result.errors == []


def test_renumbering_skips_a_number_the_file_already_uses():
    result = sales(
        "01/03/2025,DW1,ani,Netflix,Shopee,,,,45000,1,,45000,Saldo Shopee,",
        "01/03/2025,DW1-2,budi,Netflix,Shopee,,,,45000,1,,45000,Saldo Shopee,",
        "01/03/2025,DW1,caca,Netflix,Shopee,,,,45000,1,,45000,Saldo Shopee,",
    )

    assert [item.key for item in result.items] == ["DW1", "DW1-2", "DW1-3"]


def test_an_exact_duplicate_row_is_reported_and_imported_once():
    row = "28/10/2025,DW251000584,ani,Netflix,Shopee,,,,45000,1,,45000,Saldo Shopee,"
    result = sales(row, row)

    [item] = result.items
    assert item.rows == (2,)
    assert where(result, li.DUPLICATE) == [(3, "", "")]
    assert "baris 2" in result.problems[0].reason
    assert accounted_for(result) == 2


def test_rows_that_differ_only_in_spelling_are_not_exact_duplicates():
    result = sales(
        "28/10/2025,DW251000584,ani,Netflix,Shopee,,,,45000,1,,45000,Saldo Shopee,",
        "28/10/2025,DW251000584,ani,Netflix,shopee,,,,45000,1,,45000,Saldo Shopee,",
    )

    assert result.duplicates == 0
    assert result.items[0].rows == (2, 3)


def test_blank_and_total_rows_are_skipped_not_reported():
    result = sales(
        "02/01/2025,DW250100001,ani,Netflix,Shopee,,,,45000,1,,45000,Saldo Shopee,",
        ",,,,,,,,,,,,,",
        "",
        ",,,TOTAL,,,,,,,,Rp 45.000,,",
    )

    assert result.skipped == 3
    assert result.problems == []
    assert result.rows == 4


def test_a_row_whose_notes_say_total_is_a_sale_not_a_total_row():
    result = sales(
        "02/01/2025,DW250100001,ani,Netflix,Shopee,,,,45000,1,,45000,Saldo Shopee,Total"
    )

    assert result.skipped == 0
    assert result.items[0].values.draft.notes == "Total"


def test_an_unreadable_value_is_reported_with_row_column_and_value():
    result = sales(
        "02/01/2025,DW250100001,ani,Netflix,Shopee,,,,45000,1,,45000,Saldo Shopee,",
        "31/02/2025,DW250100002,budi,Netflix,Shopee,,,,seratus ribu,1,,45000,"
        "Saldo Shopee,",
        "03/01/2025,DW250100003,Walk in Customer,Netflix,,Cici,0857-1,1 bulan,45000,"
        "1,,45000,Cash,",
        "03/01/2025,DW250100004,dedi,Nintendo,Lazada,,,,45000,1,,45000,Saldo Lazada,",
    )

    assert where(result) == [
        (3, "Tanggal", "31/02/2025"),
        (3, "Harga", "seratus ribu"),
        (4, "No HP", "0857-1"),
        (5, "Produk", "Nintendo"),
    ]
    assert all(problem.reason for problem in result.errors)
    assert [item.key for item in result.items] == ["DW250100001"]
    assert accounted_for(result) == result.rows == 4


def test_a_total_that_is_not_price_times_qty_minus_discount_is_a_problem():
    result = sales(
        "02/01/2025,DW250100001,ani,Netflix,Shopee,,,,45000,2,5000,90000,Saldo Shopee,",
    )

    assert where(result) == [(2, "Total", "90000")]
    assert "Rp85.000" in result.errors[0].reason
    assert result.items == []


def test_a_discount_above_the_line_amount_is_a_problem():
    result = sales(
        "02/01/2025,DW250100001,ani,Netflix,Shopee,,,,45000,1,50000,0,Saldo Shopee,"
    )

    assert where(result) == [(2, "Diskon", "50000")]


def test_a_blank_platform_is_non_platform_only_when_the_row_has_a_phone():
    result = sales(
        "04/01/2025,DW250100008,Walk in Customer,Spotify,,Betania,08153888539,3 bln,"
        "75000,1,,75000,QRIS,",
        "04/01/2025,DW250100009,ani,Spotify,,,,,25000,1,,25000,QRIS,",
    )

    assert result.items[0].values.draft.platform_id == 5
    assert where(result) == [(3, "Platform", "")]


def test_lines_of_one_sale_disagreeing_on_date_or_payment_hold_back_the_sale():
    result = sales(
        "05/01/2025,DW250100010,Walk in Customer,Vidio,Non Platform,Kartika,"
        "08135080048,1 bulan,30000,1,,30000,GoPay,",
        "5 Jan 2025,DW250100010,Walk in Customer,Spotify,Non Platform,Kartika,"
        "+62 813 5080 048,1 bulan,25000,1,,25000,GoPay,",
        "06/01/2025,DW250100010,Walk in Customer,Canva,Non Platform,Kartika,"
        "08135080048,1 bulan,30000,1,,30000,OVO,",
    )

    assert where(result) == [
        (2, "No Faktur", "DW250100010"),
        (3, "No Faktur", "DW250100010"),
        (4, "Tanggal", "06/01/2025"),
        (4, "Pembayaran", "OVO"),
    ]
    assert result.items == []
    assert result.problem_rows == 3


def test_lines_of_one_sale_disagreeing_on_the_phone_number_are_a_problem():
    result = sales(
        "05/01/2025,DW250100010,Walk in Customer,Vidio,-,Kartika,08135080048,"
        "1 bulan,30000,1,,30000,GoPay,",
        "05/01/2025,DW250100010,Walk in Customer,Spotify,-,Kartika,08135080049,"
        "1 bulan,25000,1,,25000,GoPay,",
    )

    assert (3, "No HP", "08135080049") in where(result)
    assert result.items == []


def test_a_non_platform_line_without_duration_is_a_problem_not_a_guess():
    result = sales(
        "05/01/2025,DW250100010,Walk in Customer,Vidio,-,Kartika,08135080048,,"
        "30000,1,,30000,GoPay,",
    )

    assert where(result) == [(2, "Durasi", "")]


def test_withdrawals_are_read_with_their_platform_spellings():
    result = preview(
        li.WITHDRAWALS,
        [
            WITHDRAWALS_HEADER,
            "19/1/2025,SHOPEE ,Rp 397.500,Tarik ke rekening Mandiri",
            "16/02/2025,Tokped,Rp 336.000,penarikan mingguan",
            '26/01/2025,Tiktok,"Rp327.000,00",',
            "2 Agu 2025,lazada,1.671.000,",
        ],
    )

    values = [item.values for item in result.items]
    assert [(v.platform, v.amount) for v in values] == [
        ("Shopee", 397_500),
        ("Tokopedia", 336_000),
        ("TikTok Shop", 327_000),
        ("Lazada", 1_671_000),
    ]
    assert values[3].withdrawn_on == dt.date(2025, 8, 2)


def test_a_withdrawal_must_come_from_a_marketplace_and_be_above_zero():
    result = preview(
        li.WITHDRAWALS,
        [
            WITHDRAWALS_HEADER,
            "10/01/2025,Non Platform,378000,",
            "10/01/2025,Shopee,0,",
            "10/01/2025,Bukalapak,378000,",
            "10/01/2025,,378000,",
        ],
    )

    assert where(result) == [
        (2, "Sumber Dana", "Non Platform"),
        (3, "Nominal", "0"),
        (4, "Sumber Dana", "Bukalapak"),
        (5, "Sumber Dana", ""),
    ]
    assert result.items == []


def test_a_withdrawal_dated_after_today_is_a_problem_in_the_preview():
    result = preview(
        li.WITHDRAWALS,
        [
            WITHDRAWALS_HEADER,
            "10/01/2025,Shopee,378000,",
            "01/01/2030,Shopee,100000,",
        ],
    )

    [problem] = result.errors
    assert (problem.row, problem.column, problem.value) == (3, "Tanggal", "01/01/2030")
    assert "setelah hari ini" in problem.reason
    assert [item.rows for item in result.items] == [(2,)]


def test_a_sale_dated_after_today_is_a_problem_in_the_preview():
    result = sales(
        "07/09/2025,DW250900001,budi88,MS 365,Tokped,,,,150000,1,,150000,Saldo,",
        "01/01/2030,DW300100001,ani,MS 365,Tokped,,,,150000,1,,150000,Saldo,",
    )

    assert where(result) == [(3, "Tanggal", "01/01/2030")]
    assert [item.key for item in result.items] == ["DW250900001"]


def test_withdrawals_written_alike_get_a_warning_and_their_own_fingerprints():
    lines = [
        WITHDRAWALS_HEADER,
        "10/01/2025,tokopedia,Rp 378.000,Tarik",
        "10/1/2025,Tokopedia,378000,Tarik",
    ]
    first = preview(li.WITHDRAWALS, lines)
    again = preview(li.WITHDRAWALS, lines)

    assert where(first, li.WARNING) == [(3, "", "")]
    assert len({item.key for item in first.items}) == 2
    assert [i.key for i in first.items] == [i.key for i in again.items]


def test_products_are_read_and_those_in_the_catalogue_count_as_imported():
    result = preview(
        li.PRODUCTS,
        [PRODUCTS_HEADER, "nfx,Netflix Premium,45000,1", "IPT,IPTV,Rp 50.000,1 tahun"],
    )

    assert [item.key for item in result.items] == ["NFX", "IPT"]
    assert result.items[1].values == li.ProductRow("IPT", "IPTV", 50_000, 12)
    assert result.already_rows == 1
    assert result.ready_rows == 1


def test_a_product_code_or_name_used_twice_is_a_problem():
    result = preview(
        li.PRODUCTS,
        [
            PRODUCTS_HEADER,
            "IPT,IPTV,50000,1",
            "IPT,IPTV Plus,60000,1",
            "NET,Netflix Premium,45000,1",
        ],
    )

    assert where(result) == [(3, "Kode", "IPT"), (4, "Nama Produk", "Netflix Premium")]


def test_a_file_of_another_kind_is_refused_naming_the_missing_columns():
    with pytest.raises(ValidationError, match="Kode, Nama Produk"):
        preview(li.PRODUCTS, [WITHDRAWALS_HEADER, "10/01/2025,Shopee,1000,"])


def test_only_csv_and_xlsx_files_are_read():
    with pytest.raises(ValidationError, match="CSV atau XLSX"):
        li.read_table("penjualan.pdf", b"%PDF")
    with pytest.raises(ValidationError, match="XLSX"):
        li.read_table("penjualan.xlsx", b"not a zip")


def test_a_csv_saved_with_semicolons_in_windows_encoding_is_read():
    data = "Tanggal;Sumber Dana;Nominal;Keterangan\r\n10/01/2025;Shopee;1000;Café\r\n"
    table = li.read_table("withdraw.csv", data.encode("cp1252"))

    assert table.rows == ((2, ("10/01/2025", "Shopee", "1000", "Café")),)


def test_row_numbers_count_blank_lines_as_the_spreadsheet_does():
    result = preview(
        li.WITHDRAWALS, [WITHDRAWALS_HEADER, "", "", "10/01/2025,Shopee,abc,"]
    )

    assert where(result) == [(4, "Nominal", "abc")]


def test_an_xlsx_file_is_read_as_the_same_text_as_its_csv():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(SALES_HEADER.split(","))
    sheet.append(
        [dt.datetime(2025, 1, 4), "DW250100007", WALK_IN, "disney+ hotstar", "",
         "Mas Wadi", 8149603699, "1 bulan", 35000.0, 1, None, "Rp 35.000",
         "Transfer BCA", None]
    )  # fmt: skip
    sheet.append([None] * 3)
    sheet.append([None, None, None, "TOTAL", None, None, None, None, None, None,
                  None, 35000])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)

    table = li.read_table("penjualan.xlsx", buffer.getvalue())
    result = li.parse_table(
        li.SALES, "penjualan.xlsx", table, li.Catalogue(PLATFORMS, PRODUCTS)
    )

    assert table.rows[0][1][:2] == ("04/01/2025", "DW250100007")
    assert result.problems == []
    assert result.skipped == 2
    draft = result.items[0].values.draft
    assert (draft.sold_on, draft.customer_phone) == (
        dt.date(2025, 1, 4),
        "+628149603699",
    )
    assert draft.lines[0].unit_price == 35_000


def test_an_invoice_number_that_looks_like_a_formula_is_a_problem():
    result = sales(
        "02/01/2025,=1+1,ani,Netflix,Shopee,,,,45000,1,,45000,Saldo Shopee,",
        "02/01/2025,@SUM(A1),budi,Netflix,Shopee,,,,45000,1,,45000,Saldo Shopee,",
    )

    assert where(result) == [(2, "No Faktur", "=1+1"), (3, "No Faktur", "@SUM(A1)")]
    assert result.items == []


def test_a_control_character_in_a_note_is_a_problem_before_anything_is_written():
    result = preview(
        li.WITHDRAWALS,
        [WITHDRAWALS_HEADER, "10/01/2025,Shopee,378000,tarik\x00saldo"],
    )

    assert where(result) == [(2, "Keterangan", "tarik\x00saldo")]
    assert result.items == []
