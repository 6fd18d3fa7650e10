"""Dasbor: KPIs, charts and platform balances for a chosen period."""

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from babel.dates import format_date

from office_core import dashboard, dates, platforms
from office_core.dashboard import Period
from office_core.money import format_rupiah
from ui import cache, state
from ui.format import month_label, percent_text

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
DEFAULT_DAYS = 30
KPIS_PER_ROW = 3
FLASH = "dash_flash"
GRAIN_LABELS = {
    dashboard.DAY: "Harian",
    dashboard.WEEK: "Mingguan",
    dashboard.MONTH: "Bulanan",
}


def render_period() -> tuple[Period, str]:
    end = dates.today()
    left, right = st.columns([3, 2])
    chosen = left.date_input(
        "Periode",
        value=(end - dt.timedelta(days=DEFAULT_DAYS - 1), end),
        min_value=EARLIEST,
        format="DD/MM/YYYY",
        key="dash_period",
    )
    grain = right.radio(
        "Tampilkan per",
        list(GRAIN_LABELS),
        format_func=GRAIN_LABELS.get,
        horizontal=True,
        key="dash_grain",
    )
    if len(chosen) != 2:
        st.info("Pilih tanggal awal dan tanggal akhir periode.")
        st.stop()
    return Period(chosen[0], chosen[1]), grain or dashboard.DAY


def platform_colours(names: list[str]) -> dict[str, str]:
    """Return one colour per platform name, stable across charts."""
    spare = iter(PALETTE * (1 + len(names) // len(PALETTE)))
    return {name: BRAND_COLOURS.get(name) or next(spare) for name in names}


def render_kpis(now: dashboard.Kpis, before: dashboard.Kpis, period: Period) -> None:
    st.caption(
        f"Dibandingkan dengan {dates.format_date_id(period.previous().start)} – "
        f"{dates.format_date_id(period.previous().end)}."
    )
    figures = [
        ("Pendapatan", "revenue", format_rupiah),
        ("Jumlah penjualan", "sales", count_text),
        ("Rata-rata penjualan", "average_sale", format_rupiah),
        ("Langganan aktif", "active_subscriptions", count_text),
        ("Berakhir dalam 7 hari", "expiring_soon", count_text),
        ("Penarikan dana", "withdrawn", format_rupiah),
    ]
    # Two rows of three: six in one row cut a Rupiah figure off at ~1400 px.
    columns = [*st.columns(KPIS_PER_ROW), *st.columns(KPIS_PER_ROW)]
    for column, (label, field, shown) in zip(columns, figures, strict=True):
        value, earlier = getattr(now, field), getattr(before, field)
        change = value - earlier
        # An ASCII "-" is what makes Streamlit draw the arrow pointing down.
        sign = "+" if change >= 0 else "-"
        column.metric(label, shown(value), f"{sign}{shown(abs(change))}")


def count_text(number: int) -> str:
    return f"{number:,}".replace(",", ".")


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


def over_time_chart(
    frame: pd.DataFrame, colours: dict[str, str], grain: str, title: str
) -> go.Figure:
    """Return amounts per day, week or month, stacked by platform."""
    buckets = sorted(set(frame["bucket"]))
    labels = [bucket_label(day, grain) for day in buckets]
    figure = go.Figure()
    for name in dict.fromkeys(frame["platform"]):
        part = frame[frame["platform"] == name]
        amounts = [int(v) for v in part["amount"]]
        figure.add_bar(
            name=name,
            x=[bucket_label(day, grain) for day in part["bucket"]],
            y=amounts,
            marker_color=colours[name],
            customdata=[format_rupiah(a) for a in amounts],
            hovertemplate="%{fullData.name}<br>%{x}<br>%{customdata}<extra></extra>",
        )
    figure.update_layout(barmode="stack", legend_title_text="Platform")
    figure.update_xaxes(type="category", categoryorder="array", categoryarray=labels)
    return _rupiah_layout(figure, title)


def bucket_label(day: dt.date, grain: str) -> str:
    """Return a day, week or month as Indonesians write it, e.g. Agu 2025."""
    if grain == dashboard.MONTH:
        return month_label(day.year, day.month)
    text = format_date(day, "d MMM yyyy", locale="id_ID")
    return f"Mg {text}" if grain == dashboard.WEEK else text


def top_products_chart(frame: pd.DataFrame) -> go.Figure:
    """Return the best-selling products as horizontal bars, best on top."""
    ordered = frame.iloc[::-1]
    amounts = [int(v) for v in ordered["revenue"]]
    figure = go.Figure(
        go.Bar(
            x=amounts,
            y=ordered["product"].tolist(),
            orientation="h",
            marker_color=BRAND_COLOURS["Non Platform"],
            customdata=[
                [format_rupiah(a), int(q)]
                for a, q in zip(amounts, ordered["qty"], strict=True)
            ],
            hovertemplate="%{y}<br>%{customdata[0]}<br>"
            "%{customdata[1]} terjual<extra></extra>",
        )
    )
    figure.update_layout(title="Produk terlaris", separators=",.")
    figure.update_xaxes(tickprefix="Rp", tickformat=",.0f", rangemode="tozero")
    return figure


def expiring_chart(frame: pd.DataFrame) -> go.Figure:
    """Return the number of subscriptions ending each week."""
    labels = [bucket_label(day, dashboard.WEEK) for day in frame["week"]]
    figure = go.Figure(
        go.Bar(
            x=labels,
            y=[int(v) for v in frame["count"]],
            marker_color=PALETTE[0],
            hovertemplate="%{x}<br>%{y} langganan berakhir<extra></extra>",
        )
    )
    figure.update_layout(title="Langganan berakhir per minggu", separators=",.")
    figure.update_xaxes(type="category")
    return figure


def _rupiah_layout(figure: go.Figure, title: str) -> go.Figure:
    # separators ",." makes Plotly group thousands with dots, as Rupiah is written.
    figure.update_layout(title=title, separators=",.")
    figure.update_yaxes(tickprefix="Rp", tickformat=",.0f", rangemode="tozero")
    return figure


def render_charts(seen: int, period: Period, grain: str) -> None:
    revenue = cache.read(seen, dashboard.revenue_by_platform, period.start, period.end)
    over_time = cache.read(seen, dashboard.revenue_over_time, period, grain)
    withdrawn = cache.read(seen, dashboard.withdrawals_over_time, period, grain)
    known = [p.name for p in state.read(platforms.list_platforms)]
    seen_names = [*revenue["platform"], *withdrawn["platform"]]
    colours = platform_colours(list(dict.fromkeys([*known, *seen_names])))
    left, right = st.columns(2)
    _chart(left, revenue, lambda f: revenue_chart(f, colours), "dash_revenue")
    title = f"Pendapatan per platform ({GRAIN_LABELS[grain].lower()})"
    _chart(
        right,
        over_time,
        lambda f: over_time_chart(f, colours, grain, title),
        "dash_over_time",
    )
    title = f"Penarikan dana per platform ({GRAIN_LABELS[grain].lower()})"
    _chart(
        left,
        withdrawn,
        lambda f: over_time_chart(f, colours, grain, title),
        "dash_withdrawals",
    )
    top = cache.read(seen, dashboard.top_products, period)
    _chart(right, top, top_products_chart, "dash_top")
    expiring = cache.read(seen, dashboard.expiring_per_week, period)
    _chart(left, expiring, expiring_chart, "dash_expiring")


def _chart(place, frame: pd.DataFrame, draw, key: str) -> None:
    if frame.empty:
        return
    place.plotly_chart(draw(frame), key=key)


def render_balances(seen: int, period: Period) -> None:
    st.subheader("Saldo di platform")
    st.caption(
        f"Penjualan sampai {dates.format_date_id(period.end)} dikurangi biaya "
        "platform, dikurangi penarikan dana: uang yang masih dipegang platform."
    )
    balances = cache.read(seen, dashboard.platform_balances, period.end)
    st.dataframe(balance_table(balances), hide_index=True, key="dash_balances")
    for balance in balances:
        if balance.overdrawn:
            st.warning(
                f"Penarikan dana {balance.platform} "
                f"({format_rupiah(balance.withdrawn)}) melebihi penjualan bersihnya "
                f"({format_rupiah(balance.net_sales)}). Periksa catatan penjualan "
                "dan penarikan dana."
            )


def balance_table(balances: list[dashboard.Balance]) -> pd.DataFrame:
    """Return the balances with amounts written as Rupiah."""
    return pd.DataFrame(
        [
            {
                "Platform": b.platform,
                "Biaya (%)": f"{b.fee_percent:.2f}".replace(".", ","),
                "Penjualan": format_rupiah(b.sales),
                "Biaya platform": format_rupiah(b.fee),
                "Penjualan bersih": format_rupiah(b.net_sales),
                "Penarikan dana": format_rupiah(b.withdrawn),
                "Saldo di platform": format_rupiah(b.held),
            }
            for b in balances
        ]
    )


def render_fee_editor() -> None:
    """Let an admin change each marketplace's fee percentage."""
    with st.expander("Ubah biaya platform (%)"):
        choices = state.read(platforms.list_platforms, marketplaces_only=True)
        picked = st.selectbox(
            "Platform",
            [p.id for p in choices],
            format_func={p.id: p.name for p in choices}.get,
            key="dash_fee_platform",
        )
        current = next((p.fee_percent for p in choices if p.id == picked), 0)
        # No min/max: the browser would quietly keep the old value, while
        # office_core refuses a bad one with a message naming 0–100.
        percent = st.number_input(
            "Biaya (%)",
            value=float(current),
            step=0.5,
            format="%.2f",
            key=f"dash_fee_value_{picked}",
        )
        if st.button("Simpan biaya", key="dash_fee_save"):
            done, saved = state.act(platforms.set_fee_percent, picked, f"{percent:.2f}")
            if done:
                # Rerun so the balances above are drawn with the new fee.
                fee = percent_text(saved.fee_percent)
                st.session_state[FLASH] = f"Biaya {saved.name} disimpan: {fee}."
                st.rerun()


def main() -> None:
    actor = state.require_actor()
    st.title("Dasbor")
    if FLASH in st.session_state:
        st.success(st.session_state.pop(FLASH))
    period, grain = render_period()
    if period.start > period.end:
        st.warning("Tanggal awal sesudah tanggal akhir. Pilih periode lain.")
        st.stop()
    seen = cache.version()
    now = cache.read(seen, dashboard.kpis, period, dates.today())
    before = cache.read(seen, dashboard.kpis, period.previous(), dates.today())
    if not (now.sales or now.withdrawn):
        st.info(
            "Belum ada penjualan maupun penarikan dana pada periode ini. "
            "Pilih periode lain."
        )
    else:
        render_kpis(now, before, period)
        render_charts(seen, period, grain)
    render_balances(seen, period)
    if state.is_admin(actor):
        render_fee_editor()


main()
