"""Documents in a case file: checking, storing, reading and removing uploaded files.

An upload is accepted only when its content is one of the allowed types and the
extension of its name belongs to the same family (a PNG called ``.pdf`` is
refused, a JPEG called ``.png`` is not). The name and the browser's content type
are never trusted. Images are re-encoded without metadata. The bytes are
encrypted with a context that names the stored file, and stored under a random
name; the original name lives only in the encrypted column.

Order of work, so that a failure never leaves half a document: check, encrypt,
write the file, then write the row and the audit entry in one transaction; if
that fails, the file is deleted again. Deleting goes the other way round: the
row first, the file once the deletion is committed. Files left behind anyway
(a rollback further out, a full disk) are found by ``delete_orphaned_files``.
"""

from __future__ import annotations

import email.parser
import email.policy
import hashlib
import importlib
import io
import logging
import os
import struct
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps

from wohnfair.audit.services import log_action
from wohnfair.cases.models import Case, Document
from wohnfair.lib import crypto
from wohnfair.lib.stored_files import EncryptedFileStore

if TYPE_CHECKING:
    from wohnfair.accounts.models import User

logger = logging.getLogger(__name__)

DIRECTORY = "case-documents"
MAX_NAME_LENGTH = 200
MAX_TITLE_LENGTH = 200


# Allowed types -------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """One accepted file type: its family, the type it is stored as, and its extensions."""

    family: str
    content_type: str  # as stored: images are re-encoded to PNG or JPEG
    extensions: tuple[str, ...]  # the first one names downloads whose own extension is wrong


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"

# Ordered so that the first kind with a content type is the one that type naturally has.
KINDS: dict[str, Kind] = {
    "pdf": Kind("pdf", "application/pdf", (".pdf",)),
    "jpeg": Kind("image", "image/jpeg", (".jpg", ".jpeg", ".jpe", ".jfif")),
    "png": Kind("image", "image/png", (".png",)),
    "gif": Kind("image", "image/png", (".gif",)),
    "webp": Kind("image", "image/png", (".webp",)),
    "heic": Kind("image", "image/jpeg", (".heic", ".heif")),
    "docx": Kind("text-document", DOCX, (".docx",)),
    "doc": Kind("text-document", "application/msword", (".doc",)),
    "odt": Kind("text-document", ODT, (".odt",)),
    "xlsx": Kind("spreadsheet", XLSX, (".xlsx",)),
    "xls": Kind("spreadsheet", "application/vnd.ms-excel", (".xls",)),
    "ods": Kind("spreadsheet", ODS, (".ods",)),
    "text": Kind("text", "text/plain", (".txt",)),
    "eml": Kind("email", "message/rfc822", (".eml",)),
    "msg": Kind("email", "application/vnd.ms-outlook", (".msg",)),
}
EXTENSION_FAMILIES: dict[str, str] = {
    extension: kind.family for kind in KINDS.values() for extension in kind.extensions
}
FAMILY_LABELS = {
    "pdf": _("PDF-Dokument"),
    "image": _("Bild (JPEG, PNG, GIF, WebP oder HEIC)"),
    "text-document": _("Textdokument (Word oder OpenDocument)"),
    "spreadsheet": _("Tabelle (Excel oder OpenDocument)"),
    "text": _("Textdatei in UTF-8"),
    "email": _("E-Mail (.eml oder Outlook-.msg)"),
}
ALLOWED_SUMMARY = _(
    "Erlaubt sind PDF, Bilder (JPEG, PNG, GIF, WebP, HEIC), Word-, Excel- und "
    "OpenDocument-Dateien, Textdateien (.txt) und E-Mails (.eml, .msg)."
)

CASE_CLOSED_MESSAGE = _(
    "Zu einem abgeschlossenen oder anonymisierten Fall können keine Dokumente hinzugefügt werden."
)

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
EXECUTABLE_MAGIC = (
    b"\x7fELF",  # Linux
    b"\xfe\xed\xfa\xce",  # macOS (Mach-O, both byte orders, 32 and 64 bit)
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # macOS universal binary, Java class
    b"\x00asm",  # WebAssembly
    b"dex\n",  # Android
    b"#!",  # scripts
)
IMAGE_TYPES = {
    "image/jpeg": "jpeg",
    "image/png": "png",
    "image/apng": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/heic": "heic",
}
PILLOW_FORMATS = {
    "jpeg": ["JPEG", "MPO"],  # phones write MPO: a JPEG with extra preview frames
    "png": ["PNG"],
    "gif": ["GIF"],
    "webp": ["WEBP"],
    "heic": ["HEIF"],
}
OOXML_MAIN_TYPES = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
}
ODF_TYPES = {ODT.encode(): "odt", ODS.encode(): "ods"}
EMAIL_HEADERS = {"from", "to", "date", "subject", "message-id"}


# Checking ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedFile:
    data: bytes  # what is stored (after re-encoding, for images)
    content_type: str
    original_name: str


def max_upload_bytes() -> int:
    return int(getattr(settings, "WOHNFAIR_MAX_UPLOAD_MB", 20)) * 1024 * 1024


def clean_name(name: str) -> str:
    """The file name without folders, control or direction characters, and not too long."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    # Category C covers control characters and the direction overrides of "rcp.exe" tricks.
    name = "".join(char for char in name if not unicodedata.category(char).startswith("C"))
    name = name.strip(" .")
    if len(name) > MAX_NAME_LENGTH:
        stem, extension = os.path.splitext(name)
        name = stem[: MAX_NAME_LENGTH - len(extension)] + extension
    return name


def looks_executable(data: bytes) -> bool:
    if data.startswith(EXECUTABLE_MAGIC):
        return True
    # A Windows program starts with "MZ" and binary header fields; a text that happens
    # to start with "MZ" has no zero bytes there.
    return data.startswith(b"MZ") and b"\x00" in data[:64]


def check_upload(uploaded_file: File) -> CheckedFile:
    """The file as it will be stored, or ValidationError with a message for the user."""
    limit = max_upload_bytes()
    too_large = ValidationError(
        _("Die Datei ist zu groß. Erlaubt sind höchstens %(limit)s MB."),
        code="too_large",
        params={"limit": limit // (1024 * 1024)},
    )
    if (uploaded_file.size or 0) > limit:
        raise too_large
    uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise too_large
    if not data:
        raise ValidationError(_("Die Datei ist leer."), code="empty")
    if looks_executable(data):
        raise ValidationError(
            _(
                "Die Datei ist ein ausführbares Programm. Programme werden aus "
                "Sicherheitsgründen nicht angenommen."
            ),
            code="executable",
        )

    name = clean_name(uploaded_file.name or "")
    extension = os.path.splitext(name)[1].lower()
    family = EXTENSION_FAMILIES.get(extension)
    if family is None:
        message = (
            _("Dateien mit der Endung „%(extension)s“ werden nicht angenommen.")
            if extension
            else _("Die Datei hat keine Endung, an der ihr Typ zu erkennen wäre.")
        )
        raise ValidationError(
            "%(message)s %(allowed)s",
            code="extension",
            params={"message": message % {"extension": extension}, "allowed": ALLOWED_SUMMARY},
        )

    kind = classify(data, family)
    if kind is None and family == "text":
        raise _not_utf8()
    if kind is None or KINDS[kind].family != family:
        raise ValidationError(
            _("Der Inhalt passt nicht zur Endung „%(extension)s“ (erwartet: %(expected)s)."),
            code="mismatch",
            params={"extension": extension, "expected": FAMILY_LABELS[family]},
        )

    content_type = KINDS[kind].content_type
    if kind == "pdf":
        _check_pdf(data)
    elif KINDS[kind].family == "image":
        data = _clean_image(data, kind)
    elif kind == "text":
        _check_text(data)
    elif kind == "eml":
        _check_email(data)
    return CheckedFile(data=data, content_type=content_type, original_name=name)


def classify(data: bytes, family: str) -> str | None:
    """The kind of file the bytes are, judged by their content; None if no allowed kind.

    ``family`` only decides whether plain text counts as an e-mail (``.eml``) or as a
    text file; the e-mail check then needs real headers.
    """
    if data.startswith(PDF_MAGIC):
        return "pdf"
    if data.startswith(OLE_MAGIC):
        return _ole_kind(data, family)
    if data.startswith(ZIP_MAGIC):
        return _zip_kind(data)
    if _is_heif(data):
        return "heic"
    image = filetype.image_match(data)
    if image is not None:
        return IMAGE_TYPES.get(image.mime)
    if b"\x00" not in data:
        return "eml" if family == "email" else "text"
    return None


def _damaged(family: str) -> ValidationError:
    return ValidationError(
        _("Die Datei konnte nicht als %(expected)s gelesen werden; sie ist vermutlich beschädigt."),
        code="damaged",
        params={"expected": FAMILY_LABELS[family]},
    )


def _not_utf8() -> ValidationError:
    return ValidationError(
        _(
            "Die Textdatei ist nicht UTF-8-kodiert. Bitte speichern Sie sie als UTF-8 "
            "und laden Sie sie erneut hoch."
        ),
        code="encoding",
    )


def _check_pdf(data: bytes) -> None:
    from pypdf import PdfReader

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                # Password-protected PDFs are PDFs too; their pages cannot be counted.
                return
            pages = len(reader.pages)
    # A parser of untrusted bytes fails in many ways; each means "not a readable PDF".
    except Exception:
        raise _damaged("pdf") from None
    if pages < 1:
        raise _damaged("pdf")


def _check_text(data: bytes) -> None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise _not_utf8() from None


def _check_email(data: bytes) -> None:
    parser = email.parser.BytesParser(policy=email.policy.compat32)
    message = parser.parsebytes(data, headersonly=True)
    if not {key.lower() for key in message} & EMAIL_HEADERS:
        raise ValidationError(
            _(
                "Die Datei enthält keine E-Mail-Kopfzeilen (Von, An, Datum, Betreff) und ist "
                "daher keine gespeicherte E-Mail."
            ),
            code="email_headers",
        )


def _zip_kind(data: bytes) -> str | None:
    """docx and xlsx name their main part in [Content_Types].xml; odt and ods in mimetype."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                types = _read_member(archive, "[Content_Types].xml", 1024 * 1024)
                # Macro-enabled documents declare another main type and do not match.
                for main_type, kind in OOXML_MAIN_TYPES.items():
                    if main_type in types:
                        return kind
            elif "mimetype" in names and "content.xml" in names:
                return ODF_TYPES.get(_read_member(archive, "mimetype", 100).strip())
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError, EOFError):
        return None
    return None


def _read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise ValueError(f"{name} is larger than expected")
    with archive.open(info) as member:
        return member.read(limit)


def _ole_kind(data: bytes, family: str) -> str | None:
    """Old Word and Excel files and Outlook messages share one container; its streams tell."""
    names = ole_entry_names(data)
    if "WordDocument" in names:
        return "doc"
    if "Workbook" in names or "Book" in names:
        return "xls"
    if "__properties_version1.0" in names or any(n.startswith("__substg1.0_") for n in names):
        return "msg"
    if "EncryptedPackage" in names:
        # A password-protected docx or xlsx; the content cannot say which one.
        return {"text-document": "docx", "spreadsheet": "xlsx"}.get(family)
    return None


_LAST_SECTOR = 0xFFFFFFFA  # larger values mark free sectors and chain ends


def ole_entry_names(data: bytes) -> set[str]:
    """Names of the storages and streams in an OLE2 compound file, or an empty set.

    Reads the header, the sector allocation table and the directory chain, with
    every loop bounded by the file's size, so that a damaged file cannot hang.
    """
    try:
        shift = struct.unpack_from("<H", data, 30)[0]
        if shift not in (9, 12):
            return set()
        size = 1 << shift
        count = len(data) // size
        per_sector = size // 4

        def sector(number: int) -> bytes:
            chunk = data[(number + 1) * size : (number + 2) * size]
            if len(chunk) != size:
                raise ValueError("sector outside the file")
            return chunk

        fat_sectors = list(struct.unpack_from("<109I", data, 76))
        next_difat, difat_count = struct.unpack_from("<II", data, 68)
        for _ in range(min(difat_count, count)):
            if next_difat >= _LAST_SECTOR:
                break
            values = struct.unpack(f"<{per_sector}I", sector(next_difat))
            fat_sectors.extend(values[:-1])
            next_difat = values[-1]
        fat: list[int] = []
        for number in fat_sectors[:count]:
            if number < _LAST_SECTOR:
                fat.extend(struct.unpack(f"<{per_sector}I", sector(number)))

        names: set[str] = set()
        current = struct.unpack_from("<I", data, 48)[0]
        for _ in range(count):
            if current >= _LAST_SECTOR or current >= len(fat):
                break
            directory = sector(current)
            for offset in range(0, size, 128):
                length, entry_type = struct.unpack_from("<HB", directory, offset + 64)
                if entry_type in (1, 2, 5) and 2 <= length <= 64:
                    raw = directory[offset : offset + length - 2]
                    names.add(raw.decode("utf-16-le", errors="replace"))
            current = fat[current]
        return names
    except (struct.error, ValueError):
        return set()


def _is_heif(data: bytes) -> bool:
    if data[4:8] != b"ftyp":
        return False
    brand = data[8:12]
    box_size = int.from_bytes(data[:4], "big")
    compatible = data[16 : min(box_size, 64)]
    return brand in {b"heic", b"heix", b"heim", b"heis"} or (
        brand in {b"mif1", b"msf1"} and b"heic" in compatible
    )


def heif_decoder_available() -> bool:
    """HEIC needs the optional pillow-heif package; without it such photos are refused."""
    try:
        plugin = importlib.import_module("pillow_heif")
    except ImportError:
        return False
    plugin.register_heif_opener()
    return True


def _clean_image(data: bytes, kind: str) -> bytes:
    """The picture upright and re-encoded as PNG or JPEG, without EXIF, GPS or comments."""
    if kind == "heic" and not heif_decoder_available():
        raise ValidationError(
            _(
                "HEIC-Fotos können hier nicht verarbeitet werden. Bitte speichern Sie das "
                "Foto als JPEG (auf dem iPhone: Einstellungen › Kamera › Formate › "
                "„Maximale Kompatibilität“) und laden Sie es erneut hoch."
            ),
            code="heic",
        )
    as_jpeg = KINDS[kind].content_type == "image/jpeg"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=PILLOW_FORMATS[kind]) as probe:
                # Checks PNG chunks to the end even where WeasyPrint, once imported, has
                # set Pillow's global LOAD_TRUNCATED_IMAGES (a cut-off JPEG is still
                # padded then: harmless, since only the re-encoded pixels are kept).
                probe.verify()
            with Image.open(io.BytesIO(data), formats=PILLOW_FORMATS[kind]) as source:
                source.load()
                icc_profile = source.info.get("icc_profile")
                try:
                    image = ImageOps.exif_transpose(source)
                except Exception:  # broken EXIF: keep the picture as it is
                    image = source.copy()
                image = _to_srgb(image, icc_profile)
                image = _plain_mode(image, as_jpeg)
                # A fresh image from the pixels alone carries no metadata at all.
                clean = Image.frombytes(image.mode, image.size, image.tobytes())
                output = io.BytesIO()
                if as_jpeg:
                    clean.save(output, format="JPEG", quality=90, optimize=True)
                else:
                    clean.save(output, format="PNG")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("Das Bild hat zu viele Bildpunkte und kann nicht verarbeitet werden."),
            code="image_too_large",
        ) from None
    # A decoder of untrusted bytes fails in many ways; each means "not a readable image".
    except Exception:
        raise _damaged("image") from None
    return output.getvalue()


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Convert to sRGB, so that colours survive dropping the embedded profile."""
    if not icc_profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        srgb = ImageCms.createProfile("sRGB")
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, source, srgb, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image
    return converted or image


def _plain_mode(image: Image.Image, as_jpeg: bool) -> Image.Image:
    if as_jpeg:
        return image if image.mode in ("L", "RGB") else image.convert("RGB")
    if image.mode == "P":
        return image.convert("RGBA" if "transparency" in image.info else "RGB")
    if image.mode in ("1", "L", "LA", "I", "I;16", "RGB", "RGBA"):
        return image
    return image.convert("RGBA" if "A" in image.getbands() else "RGB")


# Storing, reading, removing ------------------------------------------------------------


STORE = EncryptedFileStore(DIRECTORY, "document")


def storage_path(storage_name: str) -> str:
    """Where a document's file lies in the media storage."""
    return STORE.path(storage_name)


def delete_stored_file(storage_name: str) -> None:
    """Remove one stored document file (for callers cleaning up after a failure)."""
    STORE.delete(storage_name)


class DuplicateDocument(ValidationError):
    """The same file is already in this case, for example because a form was sent twice."""

    def __init__(self, document: Document) -> None:
        super().__init__(_("Diese Datei ist in diesem Fall bereits vorhanden."), code="duplicate")
        self.document = document


def accepts_documents(case: Case) -> bool:
    return not case.is_closed and case.anonymised_at is None


def store_document(case: Case, uploaded_file: File, *, by: User, title: str = "") -> Document:
    """Check, encrypt and store an upload, and record it; all or nothing.

    Raises ValidationError (with a message for the user) when the file is refused,
    DuplicateDocument (a ValidationError) when the same file is already in the case:
    a form sent twice, even at the same moment, stores one document.
    """
    if not accepts_documents(case):
        raise ValidationError(CASE_CLOSED_MESSAGE, code="case_closed")
    checked = check_upload(uploaded_file)
    sha256 = hashlib.sha256(checked.data).hexdigest()
    storage_name = STORE.write(checked.data)
    try:
        with transaction.atomic():
            # Uploads to one case wait for each other here, so the checks below see
            # a twin sent at the same moment and a case closed meanwhile.
            locked = (
                Case.objects.of_organisation(case.organisation).select_for_update().get(pk=case.pk)
            )
            if not accepts_documents(locked):
                raise ValidationError(CASE_CLOSED_MESSAGE, code="case_closed")
            existing = case.documents.filter(sha256=sha256).first()
            if existing is not None:
                raise DuplicateDocument(existing)
            document = Document.objects.create(
                case=case,
                uploaded_by=by,
                title=title.strip()[:MAX_TITLE_LENGTH],
                original_name=checked.original_name,
                storage_name=storage_name,
                content_type=checked.content_type,
                size=len(checked.data),
                sha256=sha256,
            )
            log_action(by, case.organisation, "case.document_added", case, document=document.pk)
    except BaseException:
        STORE.delete(storage_name)
        raise
    return document


def read_document(document: Document) -> bytes:
    """The plaintext bytes; raises crypto.DecryptionError when the file does not belong here."""
    data = STORE.read(document.storage_name)
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise crypto.DecryptionError("document does not match its checksum")
    return data


def remove_document(document: Document) -> None:
    """Delete the row now and the stored file once that deletion is committed.

    Inside a transaction that is rolled back, row and file both stay.
    """
    storage_name = document.storage_name
    document.delete()
    transaction.on_commit(partial(STORE.delete, storage_name), robust=True)


def rotate_document_files() -> int:
    """Re-encrypt every stored file made with an older key; returns how many were.

    Each file is written anew under a new name before the row points to it, and the
    old file is deleted only after that is committed: an interruption at any point
    leaves every document readable. Safe to run again.
    """
    current = crypto.current_key_id()
    rotated = 0
    for pk, old_name in Document.objects.values_list("pk", "storage_name"):
        try:
            with STORE.storage.open(STORE.path(old_name), "rb") as handle:
                token = handle.read()
        except FileNotFoundError:
            logger.warning("document %s: stored file is missing", pk)
            continue
        if crypto.key_id_of(token) == current:
            continue
        new_name = STORE.write(crypto.decrypt_bytes(token, STORE.context(old_name)))
        try:
            with transaction.atomic():
                updated = Document.objects.filter(pk=pk, storage_name=old_name).update(
                    storage_name=new_name
                )
        except BaseException:
            STORE.delete(new_name)
            raise
        if not updated:  # removed or rotated meanwhile
            STORE.delete(new_name)
            continue
        transaction.on_commit(partial(STORE.delete, old_name), robust=True)
        rotated += 1
    return rotated


def delete_orphaned_files(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Delete stored files that no document points to; returns how many.

    Such files are left when a transaction around an upload is rolled back or a
    deletion after commit fails. Young files are kept: their row may not be
    committed yet.
    """
    known = Document.objects.values_list("storage_name", flat=True)
    return STORE.delete_orphans(known, older_than=older_than)


def download_name(document: Document) -> str:
    """The original name, with the extension of the stored type if it had another one."""
    name = clean_name(document.original_name) or "Dokument"
    stem, extension = os.path.splitext(name)
    for kind in KINDS.values():
        if kind.content_type == document.content_type:
            if extension.lower() not in kind.extensions:
                name = (stem or "Dokument") + kind.extensions[0]
            break
    return name


# Form ----------------------------------------------------------------------------------


class DocumentUploadForm(forms.Form):
    """Only binds the file and title; ``store_document`` decides whether the file is taken."""

    file = forms.FileField(label=_("Datei"))
    title = forms.CharField(
        label=_("Titel (optional)"), max_length=MAX_TITLE_LENGTH, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        field.help_text = "{} {}".format(
            ALLOWED_SUMMARY,
            _("Höchstens %(limit)s MB.") % {"limit": max_upload_bytes() // (1024 * 1024)},
        )
        field.widget.attrs["accept"] = ",".join(EXTENSION_FAMILIES)
