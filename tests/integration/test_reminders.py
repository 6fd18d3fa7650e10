"""The reminder sender against a fake provider on 127.0.0.1, on each database."""

import datetime as dt
import threading

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from office_core import followups, products, reminders, settings
from office_core.errors import ValidationError
from office_core.models import FollowUp, OutboxMessage
from office_core.platforms import resolve_platform
from office_core.providers import CloudApi, Fonnte, configured_provider
from office_core.sales import LineDraft, SaleDraft, record_sale
from tests.integration.fake_provider import start_fake

ON = dt.date(2025, 10, 1)
CUSTOMERS = {
    # name: (number, days from ON to expiry)
    "Ani": ("081200000001", 7),
    "Budi": ("081200000002", 3),
    "Citra": ("081200000003", 0),
    "Dewi": ("081200000004", 5),
    "Eko": ("081200000005", 2),
    "Fajar": ("081200000006", 3),
    "Gita": ("081200000007", 20),
    "Hadi": ("081200000008", -1),
}


def wa(number: str) -> str:
    return "62" + number.removeprefix("0")


@pytest.fixture
def fake():
    server = start_fake()
    yield server
    server.server.shutdown()


@pytest.fixture
def seeded(db, admin):
    """One 1-month subscription per customer, ending `days` after ON."""
    ids = {}
    with db.transaction() as session:
        product = products.save_product(session, admin, "NFX", "Netflix", 50_000, 1)
        platform = resolve_platform(session, "Non Platform").id
        for name, (number, days) in CUSTOMERS.items():
            sold_on = ON + dt.timedelta(days=days) - relativedelta(months=1)
            sale = record_sale(session, admin, SaleDraft(
                platform_id=platform, lines=[LineDraft(product.id)],
                sold_on=sold_on, customer_name=name, customer_phone=number,
                payment_method="QRIS",
            ))  # fmt: skip
            ids[name] = sale.customer_id
        followups.set_no_reminders(session, admin, ids["Fajar"], True)
    return ids


def cloud(fake, timeout=0.5) -> CloudApi:
    return CloudApi(token="tok-rahasia", phone_number_id="1234567890",
                    template="pengingat_langganan", base_url=fake.url + "/v21.0",
                    timeout=timeout)  # fmt: skip


def outbox(db) -> dict[str, OutboxMessage]:
    with db.transaction() as session:
        rows = session.scalars(select(OutboxMessage)).all()
        return {row.phone: row for row in rows}


def test_step_is_the_smallest_not_below_the_days_left():
    steps = [7, 3, 0]
    assert [reminders.step_for(d, steps) for d in (8, 7, 5, 3, 1, 0, -1)] == [
        None, 7, 7, 3, 3, 0, None
    ]  # fmt: skip


def test_cloud_api_outbox_fills_and_settles(db, seeded, fake):
    fake.answer(wa("081200000002"), (429, {"error": {"code": 130429}},
                                     {"Retry-After": "0"}))  # fmt: skip
    fake.answer(wa("081200000003"), (500, {}), (503, {}))
    fake.answer(
        wa("081200000004"),
        (400, {"error": {"code": 131026, "message": "undeliverable"}}),
    )
    fake.answer(wa("081200000005"), *[("sleep", 1.5)] * 4)
    waits = []

    counts = reminders.send_reminders(
        db, cloud(fake), on=ON, max_attempts=3, backoff=0.01, sleep=waits.append
    )
    rows = outbox(db)

    assert counts["queued"] == 5
    assert (counts["sent"], counts["failed"]) == (3, 2)
    assert set(rows) == {"+6281200000001", "+6281200000002", "+6281200000003",
                         "+6281200000004", "+6281200000005"}  # fmt: skip
    status = {phone[-1]: (r.status, r.attempts, r.step) for phone, r in rows.items()}
    assert status == {
        "1": ("sent", 1, 7),
        "2": ("sent", 2, 3),
        "3": ("sent", 3, 0),
        "4": ("failed", 1, 7),  # permanent: not retried
        "5": ("failed", 3, 3),  # timeouts: retried up to the limit
    }
    assert rows["+6281200000001"].provider_message_id == "wamid.OK"
    assert "131026" in rows["+6281200000004"].error
    assert "timeout" in rows["+6281200000005"].error
    assert waits[0] == 0.0  # the rate limit's Retry-After is honoured


def test_cloud_api_requests_carry_the_template_and_the_token(db, seeded, fake):
    reminders.send_reminders(db, cloud(fake), on=ON, sleep=lambda s: None)
    first = next(r for r in fake.received if r.json()["to"] == wa("081200000001"))

    assert first.path == "/v21.0/1234567890/messages"
    assert first.headers["Authorization"] == "Bearer tok-rahasia"
    body = first.json()
    assert body["messaging_product"] == "whatsapp"
    assert body["type"] == "template"
    assert body["template"]["name"] == "pengingat_langganan"
    assert body["template"]["language"] == {"code": "id"}
    params = body["template"]["components"][0]["parameters"]
    assert [p["text"] for p in params] == [
        "Ani", "Netflix", "08 Oktober 2025", "7 hari lagi"
    ]  # fmt: skip


def test_fonnte_gets_the_token_header_and_form_fields(db, seeded, fake):
    fake.default = (200, {"status": True, "id": ["80367170"]})
    provider = Fonnte(token="tok-fonnte", base_url=fake.url, timeout=0.5)

    reminders.send_reminders(db, provider, on=ON, sleep=lambda s: None)
    request = next(r for r in fake.received if r.form()["target"] == wa("081200000002"))

    assert request.path == "/send"
    assert request.headers["Authorization"] == "tok-fonnte"
    form = request.form()
    assert form["countryCode"] == "62"
    assert form["message"] == (
        "Halo Budi, pengingat dari Dwigital: langganan Netflix Anda berakhir "
        "3 hari lagi (04 Oktober 2025). Balas pesan ini untuk memperpanjang."
    )
    assert outbox(db)["+6281200000002"].provider_message_id == "80367170"


def test_fonnte_invalid_target_fails_without_retry(db, seeded, fake):
    fake.default = (200, {"status": True, "id": ["1"]})
    fake.answer(
        wa("081200000001"), (200, {"status": False, "reason": "invalid target"})
    )

    reminders.send_reminders(db, Fonnte("t", fake.url), on=ON, sleep=lambda s: None)
    row = outbox(db)["+6281200000001"]

    assert (row.status, row.attempts) == ("failed", 1)
    assert "invalid target" in row.error


def test_opted_out_later_and_unsteps_are_never_messaged(db, seeded, fake):
    reminders.send_reminders(db, cloud(fake), on=ON, sleep=lambda s: None)
    numbers = {r.json()["to"] for r in fake.received}

    assert wa("081200000006") not in numbers  # opted out
    assert wa("081200000007") not in numbers  # 20 days left: no step yet
    assert wa("081200000008") not in numbers  # already expired


def test_a_second_run_sends_nothing_again(db, seeded, fake):
    reminders.send_reminders(db, cloud(fake), on=ON, sleep=lambda s: None)
    first = len(fake.received)

    counts = reminders.send_reminders(db, cloud(fake), on=ON, sleep=lambda s: None)

    assert first == 5
    assert len(fake.received) == first
    assert counts["queued"] == 0


def test_sent_reminders_are_logged_as_follow_ups_by_the_system(db, seeded, fake):
    reminders.send_reminders(db, cloud(fake), on=ON, sleep=lambda s: None)
    with db.transaction() as session:
        logged = session.scalars(select(FollowUp)).all()

    assert len(logged) == 5
    assert {(f.channel, f.created_by) for f in logged} == {("api", "sistem")}


def test_a_customer_who_opts_out_after_queueing_is_cancelled(db, admin, seeded, fake):
    with db.transaction() as session:
        reminders.queue_due(session, "cloud_api", ON)
        followups.set_no_reminders(session, admin, seeded["Ani"], True)

    counts = reminders.send_reminders(db, cloud(fake), on=ON, sleep=lambda s: None)

    assert counts["cancelled"] == 1
    assert outbox(db)["+6281200000001"].status == "cancelled"
    assert wa("081200000001") not in {r.json()["to"] for r in fake.received}


def test_two_senders_at_once_send_each_reminder_once(db, seeded, fake):
    fake.default = ("sleep", 0.05)
    threads = [
        threading.Thread(
            target=reminders.send_reminders,
            args=(db, cloud(fake, timeout=5)),
            kwargs={"on": ON, "sleep": lambda s: None},
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    numbers = [r.json()["to"] for r in fake.received]

    assert sorted(numbers) == sorted(set(numbers))
    assert len(numbers) == 5
    assert {r.status for r in outbox(db).values()} == {"sent"}


def test_delivery_statuses_only_move_forward(db, seeded, fake):
    fake.answer(wa("081200000001"), (200, {"messages": [{"id": "wamid.ANI"}]}))
    reminders.send_reminders(db, cloud(fake), on=ON, sleep=lambda s: None)
    with db.transaction() as session:
        assert reminders.record_status(session, "wamid.ANI", "read")
        assert not reminders.record_status(session, "wamid.ANI", "delivered")
        assert not reminders.record_status(session, "wamid.ANI", "failed")
        assert not reminders.record_status(session, "tidak-ada", "read")

    assert outbox(db)["+6281200000001"].status == "read"


def test_reminder_steps_are_a_setting_checked_when_saved(db, admin):
    with db.transaction() as session:
        settings.update(session, admin, "reminder_days", ["1", 14, 1])
        assert settings.get(session, "reminder_days") == [14, 1]
    with (
        pytest.raises(ValidationError, match="Hari pengingat"),
        db.transaction() as session,
    ):
        settings.update(session, admin, "reminder_days", [90])


def test_refused_reminder_steps_are_named_as_typed(db, admin):
    with (
        pytest.raises(ValidationError) as refused,
        db.transaction() as session,
    ):
        settings.update(session, admin, "reminder_days", ["abc", " 3"])

    assert "Hari pengingat 'abc, 3' tidak sah" in refused.value.message
    assert "[" not in refused.value.message


def test_provider_comes_from_the_environment_or_nowhere(tmp_path):
    missing = tmp_path / "none.toml"
    assert configured_provider({}, missing) is None
    env = {"DWIGITAL_WA_PROVIDER": "fonnte", "DWIGITAL_WA_TOKEN": "x",
           "DWIGITAL_WA_BASE_URL": "http://127.0.0.1:9"}  # fmt: skip
    provider = configured_provider(env, missing)
    assert (provider.name, provider.token, provider.base_url) == (
        "fonnte", "x", "http://127.0.0.1:9"
    )  # fmt: skip
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        '[whatsapp]\nprovider = "cloud_api"\ntoken = "t"\n'
        'phone_number_id = "1"\ntemplate = "pengingat"\n'
    )
    assert configured_provider({}, secrets).template == "pengingat"


def test_a_row_claimed_by_a_live_copy_waits_and_a_dead_copys_is_taken(db, seeded, fake):
    with db.transaction() as session:
        reminders.queue_due(session, "cloud_api", ON)
        rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        live, dead = list(rows)[:2]
        moment = dt.datetime.now(dt.UTC)
        live.claimed_by, live.claimed_until = "lain", moment + dt.timedelta(minutes=5)
        dead.claimed_by, dead.claimed_until = "mati", moment - dt.timedelta(minutes=1)
        live_phone = live.phone

    counts = reminders.send_reminders(db, cloud(fake), on=ON, sleep=lambda s: None)

    assert counts["sent"] == 4
    assert outbox(db)[live_phone].status == "queued"
    assert live_phone.removeprefix("+") not in {r.json()["to"] for r in fake.received}
