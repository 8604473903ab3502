"""A damaged Office or OpenDocument file is refused when it is sent, as a damaged PDF is, not accepted and then
left without text by the background extraction."""

import datetime as dt
import io
import zipfile

import pytest
import time_machine
from django.core.exceptions import ValidationError

from concord.contributions import extraction
from concord.contributions.models import Contribution
from concord.contributions.services import submit_written_contribution
from concord.contributions.submission import Submitter, Upload
from tests.factories import OPENS, make_consultation

from . import files

TEXT = "A fictional contribution about the costs of international interconnection."
MAKERS = {
    "docx": lambda: files.docx(TEXT),
    "xlsx": lambda: files.xlsx([["Issue", "View"], ["Interconnection", TEXT]]),
    "pptx": lambda: files.pptx(TEXT),
    "odt": lambda: files.odt(TEXT),
    "ods": lambda: files.ods([["Issue", "View"], ["Interconnection", TEXT]]),
}

# The part each kind's text is read from (written out here, not imported, so that the test also runs without the fix).
MAIN_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
    "odt": "content.xml",
    "ods": "content.xml",
}


def rewritten(data: bytes, kind: str, content: bytes | None) -> bytes:
    """The same archive with its main part replaced by ``content``, or left out when ``content`` is None."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            if name != MAIN_PARTS[kind]:
                archive.writestr(name, source.read(name))
            elif content is not None:
                archive.writestr(name, content)
    return out.getvalue()


def bit_flipped(data: bytes, kind: str) -> bytes:
    """The archive with bytes of its main part's compressed data flipped: the zip's directory still reads."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(MAIN_PARTS[kind])
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + info.compress_size // 3
    damaged = bytearray(data)
    for i in range(start, start + min(16, info.compress_size // 3)):
        damaged[i] ^= 0xFF
    return bytes(damaged)


DAMAGES = {
    "bit-flipped": bit_flipped,
    "not-xml": lambda data, kind: rewritten(data, kind, b"<document><unclosed"),
    "main-part-missing": lambda data, kind: rewritten(data, kind, None),
}


@pytest.mark.parametrize("kind", MAKERS)
def test_a_sound_file_of_each_kind_is_accepted(kind):
    assert extraction.inspect(MAKERS[kind]()).kind == kind


@pytest.mark.parametrize("damage", DAMAGES)
@pytest.mark.parametrize("kind", MAKERS)
def test_a_damaged_file_of_each_kind_is_refused_like_a_damaged_pdf(kind, damage):
    data = DAMAGES[damage](MAKERS[kind](), kind)
    with pytest.raises(ValidationError) as refused:
        extraction.inspect(data)
    assert refused.value.error_list[0].code == "corrupt-file"
    assert refused.value.messages == ["The file is damaged and cannot be read."]


@pytest.mark.django_db
def test_the_submission_with_a_damaged_docx_is_refused_and_nothing_is_stored():
    consultation = make_consultation()
    submitter = Submitter(kind="individual", name="Ada Fictional", email="ada@example.org")
    upload = Upload("contribution.docx", bit_flipped(files.docx(TEXT), "docx"))
    with time_machine.travel(OPENS + dt.timedelta(days=5), tick=False), pytest.raises(ValidationError) as refused:
        submit_written_contribution(None, consultation, submitter=submitter, text=TEXT, uploads=[upload])
    assert refused.value.error_list[0].code == "corrupt-file"
    assert refused.value.messages == ["“contribution.docx”: The file is damaged and cannot be read."]
    assert not Contribution.objects.exists()
