"""Files in the browser (issue 12): a document is uploaded and downloaded under its
generated name; a file whose name lies about its type is refused with a message; a
member sheet over the cap is refused with the cap named."""

import pytest

from app.org import importer
from tests.browser.conftest import login
from tests.uploads import POLYGLOT, docx, xlsx

pytestmark = pytest.mark.browser

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_upload_and_download_a_document_under_its_generated_name(page, live_url, held_meeting):
    login(page, live_url, "xa")
    page.goto(f"{live_url}/meetings/{held_meeting}#documents")
    page.set_input_files("#document-file", files=[{"name": "trang.html", "mimeType": "text/html", "buffer": POLYGLOT}])
    page.fill("#documents #title", "Ảnh hội nghị")
    page.click("#documents button:has-text('Tải lên')")
    page.wait_for_selector("text=không khớp")
    assert page.locator("#documents a:has-text('Ảnh hội nghị')").count() == 0

    data = docx()
    page.set_input_files("#document-file", files=[{"name": "bien-ban.docx", "mimeType": DOCX, "buffer": data}])
    page.fill("#documents #title", "Biên bản họp chi bộ tháng 5")
    page.click("#documents button:has-text('Tải lên')")
    page.wait_for_selector("text=Đã tải lên tài liệu.")
    assert "Biên-bản-họp-chi-bộ-tháng-5.docx" in page.inner_text("#documents")
    with page.expect_download() as download:
        page.click("#documents a:has-text('Biên bản họp chi bộ tháng 5')")
    assert download.value.suggested_filename == "Biên-bản-họp-chi-bộ-tháng-5.docx"
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == data
    assert not page.outside_requests


def test_a_member_sheet_over_the_cap_is_refused_with_the_cap_named(page, live_url, cell):
    login(page, live_url, "xa")
    page.goto(f"{live_url}/units/{cell}/members/import")
    page.set_input_files(
        "input[type=file]", files=[{"name": "ds.xlsx", "mimeType": "application/zip", "buffer": xlsx(2001)}]
    )
    page.click("button:has-text('Xem trước')")
    page.wait_for_selector(".alert-error:has-text('Mỗi lần chỉ nhập tối đa 2.000 dòng.')")
    assert page.locator("#import-preview").count() == 0
    assert importer.MAX_ROWS == 2000
