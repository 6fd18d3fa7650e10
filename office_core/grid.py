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
) -> GridChanges:
    """Turn a grid's edit state into changes keyed by record id."""
    if not isinstance(edit_state, dict):
        raise ValidationError("Perubahan tabel tidak terbaca. Muat ulang halaman.")
    changes = GridChanges()
    for position, values in _items(edit_state.get("edited_rows")):
        record_id = _record_id(position, row_ids)
        changes.updated[record_id] = _columns(values, editable, position)
    for position, values in enumerate(_list(edit_state.get("added_rows"))):
        if not allow_add:
            raise ValidationError("Baris baru tidak dapat ditambahkan di tabel ini.")
        changes.added.append(_columns(values, editable, f"baru {position + 1}"))
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
            f"Baris {position} tidak ada di tabel. Muat ulang halaman dan coba lagi."
        )
    return row_ids[index]


def _columns(values: object, editable: set[str], row: object) -> dict:
    if not isinstance(values, dict):
        raise ValidationError(f"Isi baris {row} tidak terbaca.")
    locked = sorted(set(values) - editable)
    if locked:
        raise ValidationError(
            f"Kolom {', '.join(map(str, locked))} tidak boleh diubah (baris {row})."
        )
    return dict(values)
