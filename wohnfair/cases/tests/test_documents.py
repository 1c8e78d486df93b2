import io
import re
import struct
import threading
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import ExifTags, Image, ImageFile, PngImagePlugin
from pypdf import PdfWriter

from wohnfair.audit.models import AuditEntry
from wohnfair.cases import documents
from wohnfair.cases.models import CaseStatus, Document
from wohnfair.lib import crypto

CANARY = "Kanarienvogel2c91e"
NEW_KEY = "bmV3LWtleS1mb3ItdGVzdHMtMDEyMzQ1Njc4OTAxMjM="
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56 + b"\x02\x00\x3e\x00"
MZ = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"
    + b"\x00" * 54
    + b"This program cannot be run in DOS mode."
)


# Files made for the tests --------------------------------------------------------------


def pdf_bytes(title: str = CANARY) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": title})
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def image_bytes(image_format: str = "PNG", size=(40, 20), **save_options) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(output, format=image_format, **save_options)
    return output.getvalue()


def png_with_location() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Kamerahersteller"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 36.0)
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "Aufnahmeort Nordstadt")
    return image_bytes("PNG", exif=exif, pnginfo=text)


def office_zip(members: dict[str, bytes]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return output.getvalue()


def docx_bytes(main_type: str = "wordprocessingml.document.main+xml") -> bytes:
    types = (
        '<Types><Override PartName="/word/document.xml" ContentType="application/'
        f'vnd.openxmlformats-officedocument.{main_type}"/></Types>'
    )
    return office_zip({"[Content_Types].xml": types.encode(), "word/document.xml": b"<w/>"})


def odt_bytes() -> bytes:
    return office_zip(
        {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"}
    )


def ole_file(*stream_names: str) -> bytes:
    """A minimal OLE2 compound file (old Office, Outlook) with these stream names."""
    free, end, fat_sector_mark = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    header = bytearray(512)
    header[:8] = documents.OLE_MAGIC
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 4096, end, 0, end, 0)
    struct.pack_into("<109I", header, 76, 0, *([free] * 108))
    fat = struct.pack("<128I", fat_sector_mark, end, *([free] * 126))
    directory = bytearray(512)
    for index, (name, entry_type) in enumerate(
        [("Root Entry", 5)] + [(n, 2) for n in stream_names]
    ):
        raw = (name + "\0").encode("utf-16-le")
        directory[index * 128 : index * 128 + len(raw)] = raw
        struct.pack_into("<HB", directory, index * 128 + 64, len(raw), entry_type)
    return bytes(header) + fat + bytes(directory)


EMAIL = (
    b"From: Vermieter <vermietung@example.org>\r\n"
    b"To: beratung@example.org\r\n"
    b"Subject: Ihre Bewerbung\r\n"
    b"Date: Mon, 2 Mar 2026 10:00:00 +0100\r\n"
    b"\r\n"
    b"Leider ist die Wohnung schon vergeben.\r\n"
)


# Helpers -------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media) -> list:
    folder = media / documents.DIRECTORY
    return sorted(folder.iterdir()) if folder.exists() else []


def upload_file(name: str, data: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def post_upload(client, case, name: str, data: bytes, title: str = ""):
    return client.post(
        reverse("cases:upload_document", args=[case.number]),
        {"file": upload_file(name, data), "title": title},
    )


def download_url(case, document) -> str:
    return reverse("cases:download_document", args=[case.number, document.pk])


def store(case, name: str, data: bytes, *, by):
    return documents.store_document(case, upload_file(name, data), by=by)


# Uploading and downloading -------------------------------------------------------------


def test_pdf_upload_is_stored_encrypted_and_downloads_unchanged(login, case_a, counsellor_a, media):
    pdf = pdf_bytes()
    assert CANARY.encode() in pdf
    client = login(counsellor_a)

    response = post_upload(client, case_a, "Ablehnung.pdf", pdf, title="Ablehnung")

    assert response.status_code == 302
    assert response["Location"] == case_a.get_absolute_url()
    document = case_a.documents.get()
    assert (document.title, document.original_name) == ("Ablehnung", "Ablehnung.pdf")
    assert document.content_type == "application/pdf"
    assert document.size == len(pdf)
    [stored] = stored_files(media)
    assert stored.name == document.storage_name
    assert "Ablehnung" not in stored.name
    assert CANARY.encode() not in stored.read_bytes()
    download = client.get(download_url(case_a, document))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download.content == pdf


def test_png_loses_exif_gps_and_text_metadata(login, case_a, counsellor_a):
    original = png_with_location()
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert "Comment" in image.info
    client = login(counsellor_a)

    post_upload(client, case_a, "foto.png", original)
    download = client.get(download_url(case_a, case_a.documents.get()))

    assert download["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(download.content)) as image:
        assert image.format == "PNG"
        assert image.size == (40, 20)
        assert not image.getexif()
        assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert "exif" not in image.info
        assert "Comment" not in image.info
    assert b"Nordstadt" not in download.content


def test_jpeg_is_turned_upright_before_its_exif_is_dropped(case_a, counsellor_a):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # stored sideways, shown rotated by 90 degrees
    exif[ExifTags.Base.Model] = "Telefon 12"
    document = store(case_a, "foto.jpg", image_bytes("JPEG", exif=exif), by=counsellor_a)

    with Image.open(io.BytesIO(documents.read_document(document))) as image:
        assert image.format == "JPEG"
        assert image.size == (20, 40)
        assert not image.getexif()
    assert document.content_type == "image/jpeg"


@pytest.mark.parametrize("program", [ELF, MZ], ids=["elf", "windows"])
def test_program_renamed_to_pdf_is_refused_and_nothing_is_stored(
    login, case_a, counsellor_a, media, program
):
    response = post_upload(login(counsellor_a), case_a, "Mietvertrag.pdf", program)

    assert response.status_code == 400
    assert "cases/documents/upload.html" in [t.name for t in response.templates]
    assert "Die Datei ist ein ausführbares Programm." in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(media) == []
    assert not AuditEntry.objects.filter(action="case.document_added").exists()


def test_png_renamed_to_pdf_is_refused(login, case_a, counsellor_a, media):
    response = post_upload(login(counsellor_a), case_a, "Bescheid.pdf", image_bytes("PNG"))

    assert response.status_code == 400
    assert "Der Inhalt passt nicht zur Endung „.pdf“" in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(media) == []


def test_oversized_file_is_refused(login, case_a, counsellor_a, settings, media):
    settings.WOHNFAIR_MAX_UPLOAD_MB = 1
    text = b"Zeile\n" * 200_000  # 1.2 MB

    response = post_upload(login(counsellor_a), case_a, "notizen.txt", text)

    assert response.status_code == 400
    assert "Erlaubt sind höchstens 1 MB." in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(media) == []


def test_the_same_file_sent_twice_is_stored_once(login, case_a, counsellor_a, media):
    client = login(counsellor_a)
    pdf = pdf_bytes()

    first = post_upload(client, case_a, "Ablehnung.pdf", pdf)
    second = post_upload(client, case_a, "Ablehnung (1).pdf", pdf)

    assert (first.status_code, second.status_code) == (302, 302)
    assert case_a.documents.count() == 1
    assert len(stored_files(media)) == 1
    assert AuditEntry.objects.filter(action="case.document_added").count() == 1
    page = client.get(case_a.get_absolute_url()).content.decode()
    assert "bereits vorhanden" in page


@pytest.mark.django_db(transaction=True)
def test_the_same_file_sent_at_the_same_moment_is_stored_once(
    vocabularies, org_a, counsellor_a, make_case, media
):
    if connection.vendor == "sqlite":
        pytest.skip("needs concurrent writers (PostgreSQL)")
    case = make_case(org_a, by=counsellor_a)
    pdf = pdf_bytes()
    barrier = threading.Barrier(4)
    outcomes = []

    def send():
        from django.db import connection as thread_connection

        barrier.wait()
        try:
            store(case, "Ablehnung.pdf", pdf, by=counsellor_a)
            outcomes.append("stored")
        except documents.DuplicateDocument:
            outcomes.append("duplicate")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["duplicate", "duplicate", "duplicate", "stored"]
    assert case.documents.count() == 1
    assert len(stored_files(media)) == 1


def test_get_on_the_upload_address_is_not_allowed(login, case_a, counsellor_a):
    response = login(counsellor_a).get(reverse("cases:upload_document", args=[case_a.number]))
    assert response.status_code == 405


def test_upload_to_a_closed_case_is_refused(login, case_a, counsellor_a, media):
    case_a.status = CaseStatus.CLOSED
    case_a.save(update_fields=["status"])

    response = post_upload(login(counsellor_a), case_a, "spät.pdf", pdf_bytes())

    assert response.status_code == 302
    assert not Document.objects.exists()
    assert stored_files(media) == []
    page = login(counsellor_a).get(case_a.get_absolute_url())
    assert "abgeschlossenen oder anonymisierten Fall" in page.content.decode()


# Who may upload and download -----------------------------------------------------------


def test_counsellor_of_other_organisation_gets_404(login, case_a, counsellor_a, counsellor_b):
    document = store(case_a, "a.pdf", pdf_bytes(), by=counsellor_a)
    client = login(counsellor_b)

    assert post_upload(client, case_a, "b.pdf", pdf_bytes()).status_code == 404
    assert client.get(download_url(case_a, document)).status_code == 404
    assert case_a.documents.count() == 1


def test_anonymous_is_sent_to_login(client, case_a, counsellor_a):
    document = store(case_a, "a.pdf", pdf_bytes(), by=counsellor_a)

    for response in [
        post_upload(client, case_a, "b.pdf", pdf_bytes()),
        client.get(download_url(case_a, document)),
    ]:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert case_a.documents.count() == 1


def test_non_assigned_counsellor_gets_404_on_a_restricted_case(
    login, make_case, org_a, lead_a, counsellor_a
):
    restricted = make_case(org_a, by=lead_a, restricted=True, counsellors=[lead_a])
    document = store(restricted, "vertraulich.pdf", pdf_bytes(), by=lead_a)
    client = login(counsellor_a)

    assert client.get(download_url(restricted, document)).status_code == 404
    assert post_upload(client, restricted, "b.pdf", pdf_bytes()).status_code == 404
    assert login(lead_a).get(download_url(restricted, document)).status_code == 200


def test_document_of_another_case_gives_404_under_this_case_number(
    login, make_case, org_a, case_a, counsellor_a
):
    other_case = make_case(org_a, by=counsellor_a)
    document = store(other_case, "a.pdf", pdf_bytes(), by=counsellor_a)
    client = login(counsellor_a)

    assert client.get(download_url(case_a, document)).status_code == 404
    assert client.get(download_url(other_case, document)).status_code == 200


# Download response and audit -----------------------------------------------------------


def test_each_download_is_audited_once_without_name_or_content(login, case_a, counsellor_a):
    document = store(case_a, "Kündigung Müller.pdf", pdf_bytes(), by=counsellor_a)
    client = login(counsellor_a)

    client.get(download_url(case_a, document))
    client.get(download_url(case_a, document))

    entries = AuditEntry.objects.filter(action="case.document_downloaded")
    assert entries.count() == 2
    assert {entry.details["document"] for entry in entries} == {document.pk}
    assert all(entry.object_id == str(case_a.pk) for entry in entries)
    added = AuditEntry.objects.get(action="case.document_added")
    assert added.details == {"document": document.pk}
    assert "Müller" not in str([entry.details for entry in AuditEntry.objects.all()])


def test_download_is_an_attachment_with_safe_headers(login, case_a, counsellor_a):
    document = store(case_a, 'Mieterhöhung "März".pdf', pdf_bytes(), by=counsellor_a)

    response = login(counsellor_a).get(download_url(case_a, document))

    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Mieterhohung _Marz_.pdf"')
    assert "filename*=UTF-8''Mieterh%C3%B6hung%20%22M%C3%A4rz%22.pdf" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_download_name_gets_the_extension_of_the_stored_type(case_a, counsellor_a):
    gif = image_bytes("GIF")
    document = store(case_a, "Aushang.gif", gif, by=counsellor_a)

    assert document.content_type == "image/png"
    assert documents.download_name(document) == "Aushang.png"
    assert document.original_name == "Aushang.gif"


def test_control_and_direction_characters_are_removed_from_the_name():
    assert documents.clean_name("C:\\Temp\\rech\u202enung\r\n.pdf") == "rechnung.pdf"
    assert documents.clean_name("../../etc/passwd.txt") == "passwd.txt"


# Type checks by content ----------------------------------------------------------------


def check(name: str, data: bytes) -> documents.CheckedFile:
    return documents.check_upload(upload_file(name, data))


def refusal(name: str, data: bytes) -> str:
    with pytest.raises(ValidationError) as error:
        check(name, data)
    return " ".join(error.value.messages)


def test_office_files_are_recognised_by_their_members():
    assert check("Brief.docx", docx_bytes()).content_type == documents.DOCX
    assert check("Brief.odt", odt_bytes()).content_type == documents.ODT
    assert "erwartet: Tabelle" in refusal("Brief.xlsx", docx_bytes())
    assert "erwartet: Textdokument" in refusal(
        "Makro.docx", docx_bytes("ms-word.document.macroEnabled.main+xml")
    )
    assert "erwartet: Textdokument" in refusal("leer.docx", office_zip({"a.txt": b"x"}))


def test_old_office_files_and_outlook_messages_are_told_apart():
    assert (
        check("Brief.doc", ole_file("WordDocument", "1Table")).content_type == "application/msword"
    )
    assert check("Liste.xls", ole_file("Workbook")).content_type == "application/vnd.ms-excel"
    outlook = ole_file("__properties_version1.0", "__substg1.0_0037001F")
    assert check("Antwort.msg", outlook).content_type == "application/vnd.ms-outlook"
    assert "erwartet: Textdokument" in refusal("Liste.doc", ole_file("Workbook"))
    assert "erwartet: E-Mail" in refusal("Brief.msg", ole_file("WordDocument"))


def test_email_needs_headers_and_text_needs_utf8():
    assert check("Antwort.eml", EMAIL).content_type == "message/rfc822"
    assert "keine E-Mail-Kopfzeilen" in refusal("Antwort.eml", b"Nur ein Satz ohne Kopf.\n")
    assert check("notiz.txt", "Größe und Straße".encode()).content_type == "text/plain"
    assert "nicht UTF-8-kodiert" in refusal("notiz.txt", "Größe".encode("latin-1"))


def test_damaged_pdf_is_refused():
    assert "als PDF-Dokument gelesen" in refusal("kaputt.pdf", b"%PDF-1.7\nnichts weiter")


@pytest.mark.parametrize("weasyprint_imported", [False, True])
def test_cut_off_png_is_refused_even_when_pillow_allows_truncated_images(
    monkeypatch, weasyprint_imported
):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", weasyprint_imported)
    png = image_bytes("PNG")

    for cut in (60, len(png) - 20):
        assert "vermutlich beschädigt" in refusal("kaputt.png", png[:cut])


def test_unknown_extension_and_missing_extension_are_refused():
    assert "„.exe“ werden nicht angenommen" in refusal("setup.exe", b"harmlos")
    assert "keine Endung" in refusal("README", b"Text")
    assert "Erlaubt sind PDF" in refusal("bild.svg", b"<svg/>")


@pytest.mark.skipif(documents.heif_decoder_available(), reason="a HEIC decoder is installed")
def test_heic_without_decoder_gets_a_clear_message():
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    assert "HEIC-Fotos können hier nicht verarbeitet werden" in refusal("IMG_0001.HEIC", heic)


PREFIXES = [
    b"",
    documents.PDF_MAGIC,
    documents.ZIP_MAGIC,
    documents.OLE_MAGIC + b"\x00" * 22 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff\xe0",
    b"GIF89a",
    b"RIFF\x00\x00\x00\x00WEBPVP8 ",
    b"From: a@example.org\n",
]


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    prefix=st.sampled_from(PREFIXES),
    body=st.binary(max_size=1500),
    extension=st.sampled_from(sorted(documents.EXTENSION_FAMILIES)),
)
def test_any_bytes_are_either_accepted_or_refused_with_a_message(prefix, body, extension):
    try:
        checked = check("datei" + extension, prefix + body)
    except ValidationError as error:
        assert error.messages
    else:
        assert checked.content_type


def test_panel_lists_documents_and_offers_every_allowed_extension(login, case_a, counsellor_a):
    document = store(case_a, "Ablehnung.pdf", pdf_bytes(), by=counsellor_a)

    page = login(counsellor_a).get(case_a.get_absolute_url()).content.decode()

    assert download_url(case_a, document) in page
    assert 'enctype="multipart/form-data"' in page
    accept = re.search(r'id="document-file"[^>]* accept="([^"]+)"', page).group(1)
    assert set(accept.split(",")) == set(documents.EXTENSION_FAMILIES)


# All or nothing, reading, removing, rotating -------------------------------------------


@pytest.mark.parametrize("failing", ["row", "audit"])
def test_failure_while_saving_the_row_leaves_no_file(
    case_a, counsellor_a, media, monkeypatch, failing
):
    def fail(*args, **kwargs):
        raise RuntimeError("database gone")

    if failing == "row":
        monkeypatch.setattr(Document, "save", fail)
    else:
        monkeypatch.setattr(documents, "log_action", fail)

    with pytest.raises(RuntimeError):
        store(case_a, "a.pdf", pdf_bytes(), by=counsellor_a)

    assert stored_files(media) == []
    assert not Document.objects.exists()


def test_failure_while_storing_the_file_leaves_no_row(case_a, counsellor_a, monkeypatch):
    def disk_full(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", disk_full)

    with pytest.raises(OSError, match="No space"):
        store(case_a, "a.pdf", pdf_bytes(), by=counsellor_a)

    assert not Document.objects.exists()


def test_a_file_moved_to_another_name_does_not_decrypt(case_a, counsellor_a, media):
    first = store(case_a, "a.pdf", pdf_bytes("eins"), by=counsellor_a)
    second = store(case_a, "b.pdf", pdf_bytes("zwei"), by=counsellor_a)
    first_file = media / documents.storage_path(first.storage_name)
    second_file = media / documents.storage_path(second.storage_name)

    second_file.write_bytes(first_file.read_bytes())

    with pytest.raises(crypto.DecryptionError):
        documents.read_document(second)
    assert documents.read_document(first) == pdf_bytes("eins")


def test_remove_document_deletes_row_and_file_after_commit(
    case_a, counsellor_a, media, django_capture_on_commit_callbacks
):
    document = store(case_a, "a.pdf", pdf_bytes(), by=counsellor_a)

    with django_capture_on_commit_callbacks(execute=True):
        documents.remove_document(document)

    assert not Document.objects.exists()
    assert stored_files(media) == []


def test_rotation_reencrypts_files_with_the_new_key(
    case_a, counsellor_a, settings, media, django_capture_on_commit_callbacks
):
    pdf = pdf_bytes()
    document = store(case_a, "a.pdf", pdf, by=counsellor_a)
    old_key = settings.WOHNFAIR_ENCRYPTION_KEYS[0]
    settings.WOHNFAIR_ENCRYPTION_KEYS = [NEW_KEY, old_key]

    with django_capture_on_commit_callbacks(execute=True):
        assert documents.rotate_document_files() == 1

    document.refresh_from_db()
    [stored] = stored_files(media)
    assert stored.name == document.storage_name
    assert crypto.key_id_of(stored.read_bytes()) == crypto.current_key_id()
    assert documents.rotate_document_files() == 0
    settings.WOHNFAIR_ENCRYPTION_KEYS = [NEW_KEY]
    assert documents.read_document(document) == pdf


def test_orphaned_files_are_deleted_but_young_ones_and_documents_stay(case_a, counsellor_a, media):
    from datetime import timedelta

    document = store(case_a, "a.pdf", pdf_bytes(), by=counsellor_a)
    orphan = media / documents.storage_path("0" * 32)
    orphan.write_bytes(b"wf1:abc:rest")

    assert documents.delete_orphaned_files() == 0
    assert documents.delete_orphaned_files(older_than=timedelta(seconds=-60)) == 1

    assert [path.name for path in stored_files(media)] == [document.storage_name]
