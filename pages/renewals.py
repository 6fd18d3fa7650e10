"""Efektivitas Perpanjangan: renewal rates, and whether follow-ups bring renewals."""

import datetime as dt

import pandas as pd
import plotly.express as px
import streamlit as st

from office_core import dates
from office_core.renewal_report import RenewalReport, renewal_report
from ui import state
from ui.format import month_label

DEFAULT_DAYS = 365


def render_period() -> tuple[dt.date, dt.date]:
    today = dates.today()
    chosen = st.date_input(
        "Tanggal kedaluwarsa langganan",
        value=(today - dt.timedelta(days=DEFAULT_DAYS), today),
        format="DD/MM/YYYY",
        key="ren_period",
    )
    if len(chosen) != 2:
        st.info("Pilih tanggal awal dan tanggal akhir.")
        st.stop()
    return chosen[0], chosen[1]


def percent(rate: float | None) -> str:
    """Write a share as '42,5%' (Indonesian decimal comma), or '-'."""
    if rate is None or pd.isna(rate):
        return "-"
    return f"{rate * 100:.1f}%".replace(".", ",")


def render_kpis(report: RenewalReport) -> None:
    left, middle, right = st.columns(3)
    left.metric("Tingkat perpanjangan", percent(report.rate))
    middle.metric("Langganan dihitung", report.subscriptions)
    median = report.median_days_to_renewal
    right.metric(
        "Median hari tindak lanjut → perpanjang",
        "-" if median is None else f"{median:g}".replace(".", ","),
        help=f"Dari {report.renewals_after_follow_up} perpanjangan setelah "
        "tindak lanjut; dihitung dari tindak lanjut terakhir sebelum perpanjangan.",
    )


def rate_table(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    """Return a rate table with the counts behind each rate, for showing."""
    return pd.DataFrame(
        {
            label.capitalize(): frame[label],
            "Langganan": frame["langganan"],
            "Diperpanjang": frame["diperpanjang"],
            "Tingkat": frame["tingkat"].map(percent),
        }
    )


def with_month_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the by-month rates with 2025-05 written as Mei 2025."""
    labels = frame["bulan"].map(lambda text: month_label(*str(text).split("-")))
    return frame.assign(bulan=labels)


def render_breakdowns(report: RenewalReport) -> None:
    st.subheader("Ditindaklanjuti atau tidak")
    st.dataframe(rate_table(report.by_follow_up, "tindak lanjut"), hide_index=True)
    st.subheader("Per bulan kedaluwarsa")
    by_month = with_month_labels(report.by_month)
    if not by_month.empty:
        chart = px.bar(by_month, x="bulan", y="tingkat",
                       labels={"bulan": "Bulan", "tingkat": "Tingkat"})  # fmt: skip
        chart.update_yaxes(tickformat=".0%")
        # As categories, so Plotly does not read the months as English dates.
        chart.update_xaxes(type="category")
        st.plotly_chart(chart, key="ren_month_chart")
    st.dataframe(rate_table(by_month, "bulan"), hide_index=True)
    st.subheader("Per produk")
    st.dataframe(rate_table(report.by_product, "produk"), hide_index=True)


def main() -> None:
    state.require_actor()
    st.title("Efektivitas Perpanjangan")
    st.caption(
        "Langganan non-platform yang berakhir pada periode ini dan sudah lewat atau "
        "sudah diperpanjang. Yang baru lewat masih bisa diperpanjang dalam 30 hari."
    )
    start, end = render_period()
    report = state.read(renewal_report, start, end, dates.today())
    if not report.subscriptions:
        st.info("Belum ada langganan yang berakhir pada periode ini.")
        return
    render_kpis(report)
    render_breakdowns(report)


main()
