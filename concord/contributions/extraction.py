"""What a file is (from its content, never its name), whether it is safe to accept, and the text inside it.

``inspect`` runs while the contributor waits and refuses bad files with a coded ``ValidationError``; ``extract``
runs later in a background task. Neither touches the database.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Kinds Concord accepts, by the MIME type libmagic reports.
MIME_KINDS = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
    "text/rtf": "rtf",
    "application/rtf": "rtf",
    "text/plain": "txt",
    "text/markdown": "md",
    "text/x-markdown": "md",
    "text/html": "html",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "image/png": "image",
    "image/jpeg": "image",
    "image/tiff": "image",
}
KIND_MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
ZIP_KINDS = {"docx", "odt", "xlsx", "ods", "pptx"}
ACCEPTED_DESCRIPTION = "PDF, DOCX, ODT, RTF, TXT, HTML, Markdown, XLSX, ODS, PPTX, PNG, JPEG, TIFF"
TESSERACT_LANGS = {"ar": "ara", "zh-hans": "chi_sim", "en": "eng", "fr": "fra", "ru": "rus", "es": "spa"}
MAX_TEXT_CHARS = 2_000_000


class Status:
    PENDING = "pending"
    EXTRACTED = "extracted"
    NOT_EXTRACTED = "not-extracted"


@dataclass(frozen=True)
class Inspection:
    kind: str
    mime: str


@dataclass(frozen=True)
class Extraction:
    status: str
    text: str = ""
    method: str = ""
    note: str = ""


def refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _sniff_zip(archive: zipfile.ZipFile) -> str | None:
    """OOXML and ODF files are zip archives; some writers make libmagic see only "application/zip"."""
    names = set(archive.namelist())
    if "mimetype" in names:
        declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
        return MIME_KINDS.get(declared)
    if "[Content_Types].xml" in names:
        for prefix, kind in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
            if any(n.startswith(prefix) for n in names):
                return kind
    return None


def _check_zip(data: bytes) -> zipfile.ZipFile:
    """Bounded decompression: refuse archives whose declared content is too large, too many or too compressed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise refuse(_("The file is damaged and cannot be read."), "corrupt-file") from None
    total = sum(info.file_size for info in infos)
    if len(infos) > settings.CONCORD_MAX_ARCHIVE_MEMBERS or total > settings.CONCORD_MAX_UNCOMPRESSED_BYTES:
        raise refuse(_("The file expands to far more data than a document holds; it was refused."), "zip-bomb")
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1_000_000 and ratio > settings.CONCORD_MAX_COMPRESSION_RATIO:
            raise refuse(_("The file expands to far more data than a document holds; it was refused."), "zip-bomb")
    return archive


# The part every file of each kind must hold, whose XML the extraction reads first.
MAIN_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
    "odt": "content.xml",
    "ods": "content.xml",
}


def _check_office(archive: zipfile.ZipFile, kind: str) -> None:
    """Refuse a damaged Office or OpenDocument file at once, as a damaged PDF is, rather than accept it and fail
    to extract its text later: every member must decompress with its checksum (the sizes were bounded by
    ``_check_zip``), and the main part must be there and be well-formed XML."""
    damaged = refuse(_("The file is damaged and cannot be read."), "corrupt-file")
    try:
        if archive.testzip() is not None:
            raise damaged
        with archive.open(MAIN_PARTS[kind]) as part:
            for _event, _element in ElementTree.iterparse(part, events=("end",)):
                pass
    except ValidationError:
        raise
    except (KeyError, zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError):
        # KeyError: no main part; RuntimeError: an encrypted member; NotImplementedError: an unknown compression.
        raise damaged from None
    except ElementTree.ParseError:
        raise damaged from None


def _check_pdf(data: bytes) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise refuse(_("The PDF is protected by a password; send it without protection."), "encrypted-pdf")
        if len(reader.pages) == 0:
            raise refuse(_("The PDF has no pages."), "corrupt-file")
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError, NotImplementedError):
        raise refuse(_("The file is damaged and cannot be read."), "corrupt-file") from None


def _check_image(data: bytes) -> None:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > settings.CONCORD_MAX_IMAGE_PIXELS:
                raise refuse(_("The image is too large to process."), "zip-bomb")
            image.verify()
    except ValidationError:
        raise
    except Exception:  # Pillow raises many types for damaged images.
        raise refuse(_("The file is damaged and cannot be read."), "corrupt-file") from None


def inspect(data: bytes) -> Inspection:
    """Identify an upload by its content and refuse what Concord cannot safely accept."""
    if not data:
        raise refuse(_("The file is empty."), "empty-file")
    mime = magic.from_buffer(data[:2_000_000], mime=True)
    kind = MIME_KINDS.get(mime)
    archive = None
    if (mime in ("application/zip", "application/octet-stream") or kind in ZIP_KINDS) and data[:4] == b"PK\x03\x04":
        archive = _check_zip(data)
        kind = _sniff_zip(archive) or kind
        mime = KIND_MIME.get(kind, mime)
    if kind is None:
        raise refuse(
            _("This type of file (%(type)s) is not accepted. Accepted: %(accepted)s.")
            % {"type": mime, "accepted": ACCEPTED_DESCRIPTION},
            "unsupported-type",
        )
    if kind in ZIP_KINDS:
        _check_office(archive or _check_zip(data), kind)
    elif kind == "pdf":
        _check_pdf(data)
    elif kind == "image":
        _check_image(data)
    return Inspection(kind=kind, mime=mime)


# Extraction --------------------------------------------------------------------------------------------------------


def _clean(text: str) -> str:
    # PostgreSQL refuses NUL in text; other control characters are noise from the file format.
    text = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or ch >= " ")[:MAX_TEXT_CHARS].strip()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            if encoding == "utf-16" and data[:2] not in (b"\xff\xfe", b"\xfe\xff"):
                continue
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252", errors="replace")


class _HTMLText(HTMLParser):
    SKIP = {"script", "style", "noscript", "template"}
    BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "td", "th"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def _html(data: bytes) -> str:
    parser = _HTMLText()
    parser.feed(_decode(data))
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def _docx(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _odf(data: bytes) -> str:
    from odf import teletype, text
    from odf.opendocument import load
    from odf.table import TableRow

    document = load(io.BytesIO(data))
    parts = [teletype.extractText(node) for node in document.getElementsByType(text.H)]
    parts += [teletype.extractText(node) for node in document.getElementsByType(text.P)]
    if not any(parts):
        parts = [teletype.extractText(row) for row in document.getElementsByType(TableRow)]
    return "\n".join(parts)


def _xlsx(data: bytes) -> str:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    lines = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells = [str(v) for v in row if v is not None]
            if cells:
                lines.append("\t".join(cells))
    workbook.close()
    return "\n".join(lines)


def _pptx(data: bytes) -> str:
    from pptx import Presentation

    lines = []
    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                lines.append(shape.text_frame.text)
    return "\n".join(lines)


def _rtf(data: bytes) -> str:
    from striprtf.striprtf import rtf_to_text

    return rtf_to_text(data.decode("latin-1"), errors="ignore")


def ocr_available() -> bool:
    return shutil.which("tesseract") is not None


def _ocr_languages(languages) -> str:
    return "+".join(TESSERACT_LANGS[code] for code in languages if code in TESSERACT_LANGS) or "eng"


def _ocr_image(data: bytes, languages) -> str:
    import pytesseract
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return pytesseract.image_to_string(image, lang=_ocr_languages(languages), timeout=300)


def _ocr_pdf(data: bytes, languages) -> str:
    if shutil.which("pdftoppm") is None:
        raise FileNotFoundError("pdftoppm")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(data)
        subprocess.run(["pdftoppm", "-r", "200", "-png", str(source), str(Path(tmp) / "page")], check=True, timeout=600)
        pages = sorted(Path(tmp).glob("page*.png"))
        return "\n\n".join(_ocr_image(page.read_bytes(), languages) for page in pages)


def _pdf(data: bytes) -> tuple[str, int]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt("")
    # pypdf keeps Arabic in reading order (pdfminer.six reverses it).
    return "\n\n".join(page.extract_text() or "" for page in reader.pages), len(reader.pages)


EXTRACTORS = {
    "docx": _docx,
    "odt": _odf,
    "ods": _odf,
    "xlsx": _xlsx,
    "pptx": _pptx,
    "rtf": _rtf,
    "html": _html,
    "txt": _decode,
    "md": _decode,
}


def extract(data: bytes, kind: str, languages=("en",)) -> Extraction:
    """The text of a file already accepted by ``inspect``. OCR for scans and images when Tesseract is installed."""
    try:
        if kind == "pdf":
            text, pages = _pdf(data)
            # A scanned PDF has (almost) no text layer; ten letters a page is already a real one (CJK is dense).
            if sum(ch.isalnum() for ch in text) >= 10 * pages:
                return Extraction(Status.EXTRACTED, _clean(text), "pypdf")
            if not ocr_available():
                return Extraction(Status.NOT_EXTRACTED, note="scanned PDF; Tesseract OCR is not installed")
            return Extraction(Status.EXTRACTED, _clean(_ocr_pdf(data, languages)), "tesseract")
        if kind == "image":
            if not ocr_available():
                return Extraction(Status.NOT_EXTRACTED, note="image; Tesseract OCR is not installed")
            return Extraction(Status.EXTRACTED, _clean(_ocr_image(data, languages)), "tesseract")
        return Extraction(Status.EXTRACTED, _clean(EXTRACTORS[kind](data)), kind)
    except Exception as exc:  # A file that passed inspection can still defeat a parser: keep it, say so.
        return Extraction(Status.NOT_EXTRACTED, note=f"{type(exc).__name__}: {exc}"[:500])
