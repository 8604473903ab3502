"""Real files of every accepted kind, made on the fly (nothing downloaded, nothing committed but this code)."""

import io
import zipfile


def pdf(text: str, lang: str = "en") -> bytes:
    from weasyprint import HTML

    direction = "rtl" if lang == "ar" else "ltr"
    html = f'<html lang="{lang}" dir="{direction}"><body style="font-family: Noto Sans, Noto Sans Arabic, Noto Sans CJK SC"><p>{text}</p></body></html>'  # noqa: E501
    return HTML(string=html).write_pdf()


def docx(text: str) -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    for paragraph in text.split("\n"):
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def odt(text: str) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    for paragraph in text.split("\n"):
        document.text.addElement(P(text=paragraph))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def ods(rows: list[list[str]]) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="Sheet1")
    for row in rows:
        table_row = TableRow()
        for value in row:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            table_row.addElement(cell)
        table.addElement(table_row)
    document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def xlsx(rows: list[list[str]]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def pptx(text: str) -> bytes:
    from pptx import Presentation

    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = "Slide"
    slide.placeholders[1].text = text
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def rtf(text: str) -> bytes:
    return ("{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}}\\f0 " + text + "\\par}").encode("latin-1")


def png_with_text(text: str, font="/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf") -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1600, 200), 255)
    ImageDraw.Draw(image).text((40, 60), text, fill=0, font=ImageFont.truetype(font, 48))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def scanned_pdf(text: str) -> bytes:
    from PIL import Image

    image = Image.open(io.BytesIO(png_with_text(text))).convert("RGB")
    out = io.BytesIO()
    image.save(out, "PDF", resolution=200)
    return out.getvalue()


def encrypted_pdf(text: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf(text))))
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_bomb_docx() -> bytes:
    """A DOCX whose one member expands from a few hundred kilobytes to 1 GB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(1024):
                member.write(chunk)
    return out.getvalue()
