"""Dasbor: revenue and withdrawals per platform for a chosen period."""

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from babel.dates import format_date

from office_core import dashboard, dates
from office_core.money import format_rupiah
from office_core.platforms import list_platforms
from ui import state

# Each platform keeps its colour on every chart; unknown names share the palette.
BRAND_COLOURS = {
    "Shopee": "#EE4D2D",
    "Tokopedia": "#03AC0E",
    "TikTok Shop": "#111111",
    "Lazada": "#0F146D",
    "Non Platform": "#7E57C2",
}
# The first year a date may have anywhere in the office (see dates.parse_date).
EARLIEST = dt.date(2000, 1, 1)
PALETTE = ["#1F77B4", "#FF7F0E", "#17BECF", "#BCBD22", "#E377C2", "#8C564B"]


def render_period() -> tuple[dt.date, dt.date]:
    end = dates.today()
    period = st.date_input(
        "Periode",
        value=(dt.date(end.year, 1, 1), end),
        min_value=EARLIEST,
        format="DD/MM/YYYY",
        key="dash_period",
    )
    if len(period) != 2:
        st.info("Pilih tanggal awal dan tanggal akhir periode.")
        st.stop()
    return period[0], period[1]


def platform_colours(names: list[str]) -> dict[str, str]:
    """Return one colour per platform name, stable across charts."""
    spare = iter(PALETTE * (1 + len(names) // len(PALETTE)))
    return {name: BRAND_COLOURS.get(name) or next(spare) for name in names}


def render_kpis(revenue: pd.DataFrame, withdrawn: pd.DataFrame) -> None:
    left, middle, right = st.columns(3)
    left.metric("Pendapatan", format_rupiah(int(revenue["revenue"].sum())))
    count = int(revenue["sales"].sum())
    middle.metric("Jumlah penjualan", f"{count:,}".replace(",", "."))
    right.metric("Penarikan dana", format_rupiah(int(withdrawn["amount"].sum())))


def revenue_chart(frame: pd.DataFrame, colours: dict[str, str]) -> go.Figure:
    """Return a bar per platform of the period's revenue."""
    names = frame["platform"].tolist()
    amounts = [int(v) for v in frame["revenue"]]
    figure = go.Figure(
        go.Bar(
            x=names,
            y=amounts,
            marker_color=[colours[name] for name in names],
            customdata=[
                [format_rupiah(a), int(s)]
                for a, s in zip(amounts, frame["sales"], strict=True)
            ],
            hovertemplate="%{x}<br>%{customdata[0]}<br>"
            "%{customdata[1]} penjualan<extra></extra>",
        )
    )
    figure.update_layout(showlegend=False)
    return _rupiah_layout(figure, "Pendapatan per platform")


def withdrawals_chart(frame: pd.DataFrame, colours: dict[str, str]) -> go.Figure:
    """Return monthly withdrawals stacked by platform."""
    months = frame[["year", "month"]].drop_duplicates().sort_values(["year", "month"])
    labels = [month_label(y, m) for y, m in months.itertuples(index=False)]
    figure = go.Figure()
    for name in dict.fromkeys(frame["platform"]):
        part = frame[frame["platform"] == name]
        amounts = [int(v) for v in part["amount"]]
        figure.add_bar(
            name=name,
            x=[month_label(y, m) for y, m in zip(part.year, part.month, strict=True)],
            y=amounts,
            marker_color=colours[name],
            customdata=[format_rupiah(a) for a in amounts],
            hovertemplate="%{fullData.name}<br>%{x}<br>%{customdata}<extra></extra>",
        )
    figure.update_layout(barmode="stack", legend_title_text="Platform", showlegend=True)
    figure.update_xaxes(type="category", categoryorder="array", categoryarray=labels)
    return _rupiah_layout(figure, "Penarikan dana per platform per bulan")


def month_label(year: int, month: int) -> str:
    """Return a month as Indonesians abbreviate it, e.g. Agu 2025."""
    return format_date(dt.date(int(year), int(month), 1), "MMM yyyy", locale="id_ID")


def _rupiah_layout(figure: go.Figure, title: str) -> go.Figure:
    # separators ",." makes Plotly group thousands with dots, as Rupiah is written.
    figure.update_layout(title=title, separators=",.")
    figure.update_yaxes(tickprefix="Rp", tickformat=",.0f", rangemode="tozero")
    return figure


def render_charts(revenue: pd.DataFrame, withdrawn: pd.DataFrame) -> None:
    known = [p.name for p in state.read(list_platforms)]
    seen = [*revenue["platform"], *withdrawn["platform"]]
    colours = platform_colours(list(dict.fromkeys([*known, *seen])))
    if revenue.empty:
        st.caption("Belum ada penjualan pada periode ini.")
    else:
        st.plotly_chart(revenue_chart(revenue, colours), key="dash_revenue")
    if withdrawn.empty:
        st.caption("Belum ada penarikan dana pada periode ini.")
    else:
        st.plotly_chart(withdrawals_chart(withdrawn, colours), key="dash_withdrawals")


def main() -> None:
    state.require_actor()
    st.title("Dasbor")
    start, end = render_period()
    revenue = state.read(dashboard.revenue_by_platform, start, end)
    withdrawn = state.read(dashboard.withdrawals_by_platform, start, end)
    if revenue.empty and withdrawn.empty:
        st.info(
            "Belum ada penjualan maupun penarikan dana pada periode ini. "
            "Pilih periode lain."
        )
        return
    render_kpis(revenue, withdrawn)
    render_charts(revenue, withdrawn)


main()
