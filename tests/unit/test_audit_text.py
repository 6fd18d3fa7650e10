"""Audit entries read in the words the app shows."""

from office_core.audit import describe


def test_stored_codes_read_in_indonesian_in_the_audit_log():
    text = describe('{"role": "management", "active": false, "status": "void"}')

    assert text == "peran: Manajemen; aktif: tidak; status: dibatalkan"


def test_stored_dates_read_as_indonesian_dates():
    assert describe('{"withdrawn_on": "2025-09-07"}') == "tanggal: 07 September 2025"
