"""The issue's walk-through as a new admin would do it, then the owner's report.

Find who expires this week, send three follow-ups by link, renew one through
"Perpanjang", see it marked renewed, and see it counted in the report.
"""

import datetime as dt

from office_core import products, register
from office_core.dates import today
from tests.ui.conftest import open_app
from tests.ui.test_monitoring_page import click_send, select_row, sell, table

PAGE = "pages/monitoring.py"


def test_find_follow_up_renew_and_see_it_counted(app_db, ui_admin, ui_manager):
    now = today()
    with app_db.transaction() as session:
        nfx = products.save_product(session, ui_admin, "NFX", "Netflix", 50_000, 1)
        for n, ago in enumerate((30, 29, 27, 25, 10)):
            sell(session, ui_admin, nfx, now - dt.timedelta(days=ago), 1,
                 f"Pelanggan {n}", f"08121111000{n}")  # fmt: skip

    at = open_app(ui_admin, PAGE)
    at.multiselect(key="mon_status").set_value(["segera berakhir"]).run()
    week = table(at)
    assert week["Nama"].tolist() == [f"Pelanggan {n}" for n in range(4)]

    for position in range(3):
        click_send(select_row(at, position))
    contacted = table(at)["Terakhir Dihubungi"].tolist()
    assert [text.endswith("oleh admin") for text in contacted] == [True] * 3 + [False]

    select_row(at, 0)
    at.button(key="mon_renew").click().run()
    draft = dict(at.session_state["reg_draft"], payment_method="QRIS")
    with app_db.transaction() as session:
        sale = register.complete_sale(session, ui_admin, draft)
    assert sale.invoice_no

    at = open_app(ui_admin, PAGE)
    at.multiselect(key="mon_status").set_value(["diperpanjang"]).run()
    assert table(at)["Nama"].tolist() == ["Pelanggan 0"]

    report = open_app(ui_manager, "pages/renewals.py")
    metrics = {m.label: m.value for m in report.metric}
    assert metrics["Tingkat perpanjangan"] == "100,0%"
    by_follow_up = report.dataframe[0].value
    assert by_follow_up["Tindak lanjut"].tolist() == ["Ditindaklanjuti"]
    assert by_follow_up["Diperpanjang"].tolist() == [1]
