"""Office commands, e.g. `python -m office_core.cli import-legacy --sales S`."""

import argparse
import logging
import sys
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from office_core import backup
from office_core import legacy_import as li
from office_core.accounts import Actor, require_admin
from office_core.config import database_url
from office_core.db import Database
from office_core.errors import OfficeError, PermissionDenied
from office_core.models import User
from office_core.money import format_rupiah
from office_core.providers import ProviderError, configured_provider
from office_core.reminders import send_reminders

ORDER = (li.PRODUCTS, li.WITHDRAWALS, li.SALES)
RECORD_WORDS = {
    li.PRODUCTS: "produk",
    li.WITHDRAWALS: "penarikan",
    li.SALES: "penjualan",
}
MONEY_COLUMN = {li.WITHDRAWALS: "Nominal", li.SALES: "Total"}


class _DryRun(Exception):
    """Raised at the end of a dry run so its transaction is rolled back."""


def main(argv: list[str] | None = None) -> int:
    """Run the command named on the command line; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "send-reminders":
        return send_reminders_command(args.max_attempts)
    if args.command in BACKUP_COMMANDS:
        return backup_command(args)
    files = [(kind, getattr(args, kind)) for kind in ORDER if getattr(args, kind)]
    if not files:
        parser.error("sebutkan minimal satu berkas: --products, --withdrawals, --sales")
    for _, path in files:
        if not path.is_file():
            parser.error(f"berkas tidak ditemukan: {path}")
    logging.basicConfig(level=logging.WARNING)
    database = Database(database_url())
    try:
        database.migrate()
        return import_legacy(database, args.user, files, args.dry_run)
    finally:
        database.dispose()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m office_core.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser(
        "import-legacy",
        help="impor berkas lama (urutan: produk, penarikan dana, penjualan)",
    )
    command.add_argument("--products", type=Path, help="berkas produk (CSV/XLSX)")
    command.add_argument("--withdrawals", type=Path, help="berkas penarikan dana")
    command.add_argument("--sales", type=Path, help="berkas penjualan")
    command.add_argument("--user", required=True, help="nama pengguna admin")
    command.add_argument(
        "--dry-run", action="store_true", help="tampilkan hasil tanpa menyimpan"
    )
    reminders = commands.add_parser(
        "send-reminders",
        help="kirim pengingat WhatsApp yang jatuh tempo lewat penyedia yang diatur",
    )
    reminders.add_argument(
        "--max-attempts", type=int, default=4, help="percobaan per pesan (bawaan 4)"
    )
    _add_backup_commands(commands)
    return parser


def send_reminders_command(max_attempts: int) -> int:
    """Send the reminders due today; 0 also when no provider is configured."""
    logging.basicConfig(level=logging.INFO)
    try:
        provider = configured_provider()
    except ProviderError as exc:
        print(f"Gagal: {exc}", file=sys.stderr)
        return 2
    if provider is None:
        print(
            "Penyedia WhatsApp belum diatur (DWIGITAL_WA_PROVIDER atau [whatsapp] di "
            ".streamlit/secrets.toml). Tidak ada pesan yang dikirim."
        )
        return 0
    database = Database(database_url())
    try:
        database.migrate()
        counts = send_reminders(database, provider, max_attempts=max_attempts)
    finally:
        database.dispose()
    print(
        f"Pengingat ({provider.name}): {counts['queued']} masuk antrean, "
        f"{counts['sent']} terkirim, {counts['failed']} gagal, "
        f"{counts['cancelled']} dibatalkan."
    )
    return 0


def import_legacy(
    database: Database, username: str, files: list[tuple[str, Path]], dry_run: bool
) -> int:
    """Import the files in one transaction, as `username`; 2 if refused."""
    try:
        with database.transaction() as session:
            actor = _admin(session, username)
            for kind, path in files:
                _import_file(session, actor, kind, path, dry_run)
            if dry_run:
                raise _DryRun
    except _DryRun:
        print("\nUji coba (--dry-run): tidak ada yang disimpan.")
    except OfficeError as exc:
        print(f"Gagal: {exc.message} Tidak ada yang disimpan.", file=sys.stderr)
        return 2
    return 0


def _admin(session: Session, username: str) -> Actor:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise PermissionDenied(f"Pengguna '{username}' tidak ada.")
    actor = Actor(user_id=user.id, username=user.username, role=user.role)
    require_admin(session, actor)
    return actor


def _import_file(
    session: Session, actor: Actor, kind: str, path: Path, dry_run: bool
) -> None:
    print(f"\n== {li.KIND_LABELS[kind]}: {path.name}")
    preview = li.preview_import(session, actor, kind, path.name, path.read_bytes())
    for problem in preview.problems:
        print("  " + _problem_line(problem))
    print(_counts_line(preview))
    result = li.write_import(session, actor, preview)
    verb = "Akan disimpan" if dry_run else "Tersimpan"
    print(f"{verb}: {_result_line(result)}")


def _problem_line(problem: li.Problem) -> str:
    place = f"baris {problem.row}"
    if problem.column:
        place += f", kolom {problem.column}, nilai '{problem.value}'"
    return f"[{li.LEVEL_LABELS[problem.level]}] {place}: {problem.reason}"


def _counts_line(preview: li.Preview) -> str:
    return (
        f"Baris data: {preview.rows} | dilewati (kosong/TOTAL): {preview.skipped} | "
        f"duplikat: {preview.duplicates} | bermasalah: {preview.problem_rows} | "
        f"peringatan: {len(preview.warnings)} | sudah diimpor: "
        f"{preview.already_rows} | siap diimpor: {preview.ready_rows}"
    )


def _result_line(result: li.ImportResult) -> str:
    line = f"{len(result.written)} {RECORD_WORDS[result.kind]} ({result.rows} baris)"
    column = MONEY_COLUMN.get(result.kind)
    if column:
        total = sum(item.summary[column] for item in result.written)
        line += f", jumlah {format_rupiah(total)}"
    return line


BACKUP_COMMANDS = ("backup", "export", "import-data")


def _add_backup_commands(commands) -> None:
    copy = commands.add_parser(
        "backup", help="salin database SQLite dengan aman, juga saat aplikasi jalan"
    )
    copy.add_argument("--to", type=Path, required=True, help="berkas salinan")
    export = commands.add_parser(
        "export", help="ekspor semua tabel ke JSON lines (database apa pun)"
    )
    export.add_argument("--to", type=Path, required=True, help="berkas .jsonl(.gz)")
    load = commands.add_parser(
        "import-data", help="muat berkas ekspor ke database yang sudah dimigrasi"
    )
    load.add_argument("--from", dest="source", type=Path, required=True)
    load.add_argument(
        "--replace",
        action="store_true",
        help="hapus isi database tujuan yang sudah berisi data, lalu ganti",
    )


def backup_command(args: argparse.Namespace) -> int:
    """Run backup, export or import-data on the configured database."""
    logging.basicConfig(level=logging.WARNING)
    if args.command == "import-data" and not args.source.is_file():
        print(f"Gagal: berkas tidak ditemukan: {args.source}", file=sys.stderr)
        return 2
    database = Database(database_url())
    try:
        database.migrate()
        print(_run_backup(database, args))
    except OfficeError as exc:
        print(f"Gagal: {exc.message}", file=sys.stderr)
        return 2
    finally:
        database.dispose()
    return 0


def _run_backup(database: Database, args: argparse.Namespace) -> str:
    if args.command == "backup":
        return f"Salinan tersimpan: {backup.backup_sqlite(database, args.to)}"
    if args.command == "export":
        counts = backup.export_data(database, args.to)
        return f"Ekspor tersimpan: {args.to} ({sum(counts.values())} baris)"
    counts = backup.import_data(database, args.source, args.replace)
    return f"Impor selesai: {sum(counts.values())} baris dari {args.source}"


if __name__ == "__main__":
    sys.exit(main())
