"""No IP address of a reporter is stored in any table, log line or audit row.

A whole visit with a canary address (form, challenge, report with a file,
confirmation, follow-up with a wrong and a right code, a message, a throttled
attempt) is searched for in every model, every text column of every table (the
cache table decoded), the audit log and every log record, with SQL logging on.
"""

import base64
import logging
import pickle

from django.apps import apps
from django.db import connection

from wohnfair.audit.models import AuditEntry
from wohnfair.intake import spam
from wohnfair.intake.tests.conftest import (
    all_reports,
    png_bytes,
    receipt_from,
    upload,
    valid_data,
)

CANARY = "203.0.113.77"


def visit_as_canary(client, settings):
    settings.WOHNFAIR_INTAKE_RATE_LIMITS = {"receipt": (2, 1000, 600)}
    meta = {"REMOTE_ADDR": CANARY, "HTTP_X_FORWARDED_FOR": CANARY, "HTTP_X_REAL_IP": CANARY}
    assert client.get("/melden/", **meta).status_code == 200
    challenge = client.get("/melden/pow/", **meta).json()
    data = valid_data(
        pow=spam.solve(challenge),
        contact_email="person@example.org",
        consent_counselling="on",
    )
    response = client.post(
        "/melden/", {**data, "files": [upload("foto.png", png_bytes(), "image/png")]}, **meta
    )
    assert response.status_code == 302
    code = receipt_from(client.get(response.url, **meta).text)
    client.post("/melden/status/", {"receipt": "0000 0000 0000 0000"}, **meta)
    page = client.post("/melden/status/", {"receipt": code}, **meta).text
    access = page.split('name="access" value="')[1].split('"')[0]
    client.post(
        "/melden/status/",
        {"access": access, "message_token": "t" * 30, "body": "Noch eine Nachricht"},
        **meta,
    )
    throttled = client.post("/melden/status/", {"receipt": code}, **meta)
    assert throttled.status_code == 429
    bad = client.post("/melden/", valid_data(form_started="kaputt"), **meta)
    assert bad.status_code == 200


def every_model_row() -> str:
    dump = []
    for model in apps.get_models():
        manager = model._default_manager
        queryset = manager.unscoped("privacy test") if hasattr(manager, "unscoped") else manager
        for row in queryset.all().values_list():
            dump.append(repr(row))
    return "\n".join(dump)


def every_table_raw() -> str:
    dump = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                dump.append(repr(row))
                if table == "wohnfair_cache":
                    dump.append(repr(pickle.loads(base64.b64decode(row[1]))))  # noqa: S301
    return "\n".join(dump)


def test_no_ip_address_is_stored_or_logged(client, settings, caplog, media):
    connection.force_debug_cursor = True  # log every SQL statement with its parameters
    # Loggers that do not pass records on to the root logger get the capturing handler too.
    isolated = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [logger.level for logger in isolated]
    for logger in isolated:
        logger.addHandler(caplog.handler)
        logger.setLevel(logging.DEBUG)
    try:
        with caplog.at_level(logging.DEBUG), caplog.at_level(logging.DEBUG, logger="django"):
            visit_as_canary(client, settings)
    finally:
        connection.force_debug_cursor = False
        for logger, level in zip(isolated, levels, strict=True):
            logger.removeHandler(caplog.handler)
            logger.setLevel(level)
    report = all_reports().get()
    assert report.files.count() == 1
    assert report.messages.count() == 1

    # The searches below do find what they look for.
    assert "person@example.org" in every_model_row()
    assert report.reference in every_table_raw()
    assert spam.counter_key("receipt", spam.current_window("receipt"), "all") in every_table_raw()
    assert any("SELECT" in record.getMessage() for record in caplog.records)
    assert any("Too Many Requests" in record.getMessage() for record in caplog.records)

    assert CANARY not in every_model_row()
    assert CANARY not in every_table_raw()
    assert CANARY not in repr(list(AuditEntry.objects.values_list()))
    assert CANARY not in caplog.text
    for record in caplog.records:
        assert CANARY not in record.getMessage()
        assert CANARY not in repr(record.args)
        assert CANARY not in repr(record.__dict__)
    assert CANARY not in repr(
        [str(path.read_bytes()) for path in media.rglob("*") if path.is_file()]
    )
