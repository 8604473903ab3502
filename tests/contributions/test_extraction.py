"""Every accepted kind is recognised from its content and its text extracted; bad files are refused by code."""

import pytest
from django.core.exceptions import ValidationError

from concord.contributions import extraction
from concord.contributions.extraction import Status

from .. import system
from . import files

UN = ["ar", "zh-hans", "en", "fr", "ru", "es"]
# The images are drawn with Noto Sans and read back in English and French.
needs_tesseract = system.needs_tesseract("fra")
needs_noto = system.needs_noto_fonts()


@pytest.mark.parametrize(
    ("make", "kind", "expected"),
    [
        (
            lambda: files.pdf("Nous soutenons la neutralité du réseau.", "fr"),
            "pdf",
            "Nous soutenons la neutralité du réseau.",
        ),
        (lambda: files.docx("Cybersecurity\nand privacy"), "docx", "Cybersecurity\nand privacy"),
        (lambda: files.odt("Multilingüismo en Internet"), "odt", "Multilingüismo en Internet"),
        (lambda: files.rtf("Interconnection costs"), "rtf", "Interconnection costs"),
        (lambda: "Стоимость международного соединения".encode(), "txt", "Стоимость международного соединения"),
        (lambda: b"# Spam\n\nUnsolicited *mail*.", "txt", "# Spam\n\nUnsolicited *mail*."),
        (
            lambda: b"<!DOCTYPE html><html><body><h1>E-government</h1><script>x()</script></body></html>",
            "html",
            "E-government",
        ),  # noqa: E501
        (lambda: files.xlsx([["issue", "priority"], ["spam", "high"]]), "xlsx", "issue\tpriority\nspam\thigh"),
        (lambda: files.ods([["net neutrality"]]), "ods", "net neutrality"),
        (lambda: files.pptx("Capacity building"), "pptx", "Slide\nCapacity building"),
    ],
)
def test_each_accepted_kind_is_recognised_and_its_text_extracted(make, kind, expected):
    data = make()
    inspection = extraction.inspect(data)
    assert inspection.kind == kind
    result = extraction.extract(data, inspection.kind, UN)
    assert result.status == Status.EXTRACTED
    assert result.text == expected


def test_arabic_comes_out_of_a_pdf_in_reading_order():
    sentence = "نحن ندعم حياد الشبكة وحماية البيانات الشخصية"
    result = extraction.extract(files.pdf(sentence, "ar"), "pdf", UN)
    assert result.text == sentence


def test_chinese_text_layer_is_used_as_is():
    result = extraction.extract(files.pdf("我们支持网络中立和个人数据保护", "zh-hans"), "pdf", UN)
    assert (result.method, result.text) == ("pypdf", "我们支持网络中立和个人数据保护")


@needs_tesseract
@needs_noto
@pytest.mark.parametrize("make", [files.png_with_text, files.scanned_pdf])
def test_scans_and_images_are_ocrd(make):
    data = make("Privacy and cybersecurity matter")
    result = extraction.extract(data, extraction.inspect(data).kind, ["en", "fr"])
    assert (result.status, result.method) == (Status.EXTRACTED, "tesseract")
    assert "Privacy and cybersecurity matter" in result.text


def test_without_tesseract_a_scan_is_kept_and_marked_not_extracted(monkeypatch):
    monkeypatch.setattr(extraction.shutil, "which", lambda name: None)
    result = extraction.extract(files.scanned_pdf("Privacy"), "pdf", ["en"])
    assert result.status == Status.NOT_EXTRACTED
    assert "Tesseract" in result.note


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (lambda: b"", "empty-file"),
        (lambda: b"MZ\x90\x00\x03" + b"\x00" * 500, "unsupported-type"),
        (lambda: b"PK\x03\x04 not really a zip", "corrupt-file"),
        (lambda: files.pdf("Truncated")[:400], "corrupt-file"),
        (lambda: files.encrypted_pdf("Locked"), "encrypted-pdf"),
        (files.zip_bomb_docx, "zip-bomb"),
        (lambda: files.png_with_text("Truncated")[:300], "corrupt-file"),
    ],
    ids=["empty", "executable", "broken-zip", "truncated-pdf", "encrypted-pdf", "zip-bomb", "broken-png"],
)
def test_bad_files_are_refused_with_a_code(data, code):
    with pytest.raises(ValidationError) as refused:
        extraction.inspect(data())
    assert refused.value.error_list[0].code == code


def test_the_type_comes_from_the_content_not_the_name():
    # An executable renamed .pdf is still an executable; a DOCX is a DOCX whatever it is called.
    assert extraction.inspect(files.docx("x")).kind == "docx"
    with pytest.raises(ValidationError):
        extraction.inspect(b"MZ" + b"\x00" * 300)
