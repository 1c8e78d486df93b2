import io
import subprocess

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from wohnfair.cases import services
from wohnfair.cases.models import Note, Person
from wohnfair.lib import crypto

CANARY = "Kanarienvogel-7f3a9"


def raw_rows() -> str:
    """Everything in the case tables as the database stores it."""
    dump = []
    with connection.cursor() as cursor:
        for table in ["cases_person", "cases_incident", "cases_note", "audit_auditentry"]:
            cursor.execute(f"SELECT * FROM {table}")
            dump.extend(str(row) for row in cursor.fetchall())
    return "\n".join(dump)


def test_canary_in_name_narrative_and_note_never_reaches_the_database(
    make_case, org_a, counsellor_a
):
    case = make_case(
        org_a, by=counsellor_a, name=f"Frau {CANARY}", description=f"Er sagte {CANARY}"
    )
    services.add_note(case, f"Rückruf {CANARY}", by=counsellor_a)
    assert CANARY not in raw_rows()
    assert case.persons.get().name == f"Frau {CANARY}"
    assert CANARY in Note.objects.get().text


def test_canary_is_not_in_the_database_file_or_dump(
    vocabularies, make_case, org_a, counsellor_a, tmp_path
):
    make_case(org_a, by=counsellor_a, name=f"Herr {CANARY}", description=f"Anzeige {CANARY}")
    if connection.vendor == "postgresql":
        params = connection.settings_dict
        command = ["pg_dump", "-h", params["HOST"], "-U", params["USER"], params["NAME"]]
        dump = subprocess.run(command, capture_output=True, check=True).stdout
    else:
        copy = tmp_path / "copy.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(copy)])
        dump = copy.read_bytes()
    assert b"PL-2026-0001" in dump  # the dump really holds the case
    assert CANARY.encode() not in dump


def test_a_ciphertext_moved_to_another_column_does_not_decrypt(case_a):
    person = case_a.persons.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM cases_person WHERE id = %s", [person.pk])
        stored_name = cursor.fetchone()[0]
        cursor.execute("UPDATE cases_person SET email = %s WHERE id = %s", [stored_name, person.pk])
    with pytest.raises(crypto.DecryptionError):
        Person.objects.get(pk=person.pk)


def test_after_rotation_old_rows_still_read_and_get_the_new_key(case_a, settings):
    old_key = settings.WOHNFAIR_ENCRYPTION_KEYS[0]
    new_key = "bmV3LWtleS1mb3ItdGVzdHMtMDEyMzQ1Njc4OTAxMjM="
    settings.WOHNFAIR_ENCRYPTION_KEYS = [new_key, old_key]
    assert case_a.persons.get().name == "Aylin Demir"
    call_command("rotate_encryption_keys", stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM cases_person")
        stored = cursor.fetchone()[0]
    assert crypto.key_id_of(stored) == crypto.current_key_id()
    settings.WOHNFAIR_ENCRYPTION_KEYS = [new_key]
    assert case_a.persons.get().name == "Aylin Demir"


def test_development_key_is_not_the_only_protection():
    assert settings.WOHNFAIR_ENCRYPTION_KEYS
    assert settings.SECRET_KEY not in settings.WOHNFAIR_ENCRYPTION_KEYS
