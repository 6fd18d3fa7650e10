"""Reading the edit state a data grid sends, which the browser may have forged."""

from dataclasses import dataclass, field

from office_core.errors import ValidationError


@dataclass
class GridChanges:
    """The edits of one grid save, checked for shape but not yet for meaning."""

    updated: dict[int, dict] = field(default_factory=dict)
    added: list[dict] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.updated or self.added or self.deleted)


def read_changes(
    edit_state: object,
    row_ids: list[int],
    editable: set[str],
    allow_add: bool = True,
    allow_delete: bool = True,
    labels: dict[str, str] | None = None,
) -> GridChanges:
    """Turn a grid's edit state into changes keyed by record id.

    Rows are named to the user by their place in the grid (1, 2, ...) and
    columns by `labels`, the headings the grid shows.
    """
    labels = labels or {}
    if not isinstance(edit_state, dict):
        raise ValidationError("Perubahan tabel tidak terbaca. Muat ulang halaman.")
    changes = GridChanges()
    for position, values in _items(edit_state.get("edited_rows")):
        record_id = _record_id(position, row_ids)
        changes.updated[record_id] = _columns(values, editable, _row(position), labels)
    for position, values in enumerate(_list(edit_state.get("added_rows"))):
        if not allow_add:
            raise ValidationError("Baris baru tidak dapat ditambahkan di tabel ini.")
        row = f"baru ke-{position + 1}"
        changes.added.append(_columns(values, editable, row, labels))
    for position in _list(edit_state.get("deleted_rows")):
        if not allow_delete:
            raise ValidationError("Baris tidak dapat dihapus dari tabel ini.")
        changes.deleted.append(_record_id(position, row_ids))
    return changes


def _items(value: object) -> list[tuple[object, object]]:
    if value is None:
        return []
    if not isinstance(value, dict):
        raise ValidationError("Perubahan tabel tidak terbaca. Muat ulang halaman.")
    return list(value.items())


def _list(value: object) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValidationError("Perubahan tabel tidak terbaca. Muat ulang halaman.")
    return value


def _record_id(position: object, row_ids: list[int]) -> int:
    # Only a whole position counts: int() would turn True or 1.7 into row 1.
    text = str(position)
    index = int(text) if text.isascii() and text.isdigit() and len(text) < 10 else -1
    if not 0 <= index < len(row_ids):
        raise ValidationError(
            f"Baris {_row(position)} tidak ada di tabel. Muat ulang halaman."
        )
    return row_ids[index]


def _row(position: object) -> str:
    text = str(position)
    whole = text.isascii() and text.isdigit() and len(text) < 10
    return str(int(text) + 1) if whole else text[:20]


def _columns(values: object, editable: set[str], row: str, labels: dict) -> dict:
    if not isinstance(values, dict):
        raise ValidationError(f"Isi baris {row} tidak terbaca.")
    locked = sorted(
        str(labels.get(column, column)) for column in set(values) - editable
    )
    if locked:
        raise ValidationError(
            f"Kolom {', '.join(locked)} tidak boleh diubah (baris {row})."
        )
    return dict(values)
