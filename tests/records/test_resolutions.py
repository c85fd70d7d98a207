"""The month's resolution through the real forms: drafted from the meeting with the
minutes' tasks, refused before the minutes are adopted and when a text is too long,
issued with its number, printed with T/M CHI BỘ / BÍ THƯ, the secretary and Nơi nhận;
the item extract after adoption with the vote."""

from datetime import date

from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.extensions import db
from app.meetings.models import Meeting
from app.minutes import services as minutes_services
from app.minutes.models import Minutes
from app.records import services as records
from app.records.models import DocumentKind
from app.resolutions.models import Resolution
from app.resolutions.services import secretary_on
from tests.records.conftest import adopt_meeting


def resolution_of(meeting_id):
    return db.session.scalars(select(Resolution).where(Resolution.meeting_id == meeting_id)).first()


def form_of(resolution, **changes):
    data = {
        name: getattr(resolution, name) or ""
        for name in ("summary", "results", "shortcomings", "tasks", "implementation", "recipients")
    }
    data["version"] = resolution.version
    return data | changes


def test_draft_is_prefilled_from_the_minutes_and_issued_with_a_number(app, client, login_as, adopted_meeting):
    login_as("xa")
    assert client.get(f"/meetings/{adopted_meeting}/resolution").status_code == 200
    assert client.post(f"/meetings/{adopted_meeting}/resolution").status_code == 303
    with app.app_context():
        resolution = resolution_of(adopted_meeting)
        assert "Vận động các hộ hiến đất mở rộng đường" in resolution.tasks
        assert "Đảng ủy xã Ninh Hải (để báo cáo)" in resolution.recipients
        data = form_of(resolution, shortcomings="Tỷ lệ đảng viên phát biểu còn thấp. Nguyên nhân: chuẩn bị chưa kỹ.")
        resolution_id = resolution.id
    response = client.post(f"/resolutions/{resolution_id}", data=data)
    assert response.status_code == 303
    assert client.post(f"/resolutions/{resolution_id}/issue").status_code == 303
    with app.app_context():
        resolution = db.session.get(Resolution, resolution_id)
        meeting = db.session.get(Meeting, adopted_meeting)
        assert resolution.is_issued and resolution.number == "01-NQ/CB"
        assert resolution.signer_name == secretary_on(meeting.cell_id, meeting.on).full_name
        code = records.current_version(DocumentKind.resolution, resolution_id).display_code
        signer = resolution.signer_name
    page = client.get(f"/meetings/{adopted_meeting}/print/resolution").get_data(as_text=True)
    for expected in (
        "Số 01-NQ/CB",
        "NGHỊ QUYẾT",
        "CHI BỘ QUYẾT NGHỊ",
        "II. HẠN CHẾ, NGUYÊN NHÂN",
        "Tỷ lệ đảng viên phát biểu còn thấp",
        "IV. TỔ CHỨC THỰC HIỆN",
        "T/M CHI BỘ",
        "BÍ THƯ",
        signer,
        "Nơi nhận:",
        "- Lưu chi bộ.",
        code,
        "Tải PDF",
    ):
        assert expected in page, expected
    # Issued: locked.
    response = client.post(f"/resolutions/{resolution_id}", data=form_of(resolution, results="Sửa sau khi ban hành"))
    assert response.status_code == 422
    assert "đã ban hành và khóa" in response.get_data(as_text=True)
    verified = client.get("/documents/verify", query_string={"code": code}).get_data(as_text=True)
    assert "Nghị quyết số 01-NQ/CB" in verified and "phiên bản hiện hành" in verified


def test_issue_is_refused_until_the_minutes_are_adopted(app, client, login_as, cell):
    with app.test_request_context():
        meeting_id = adopt_meeting(cell, date(2025, 9, 5))
        meeting = db.session.get(Meeting, meeting_id)
        minutes = db.session.scalars(select(Minutes).where(Minutes.meeting_id == meeting_id)).one()
        minutes_services.reopen(None, minutes, meeting, "Bổ sung ý kiến")
        db.session.commit()
    login_as("xa")
    client.post(f"/meetings/{meeting_id}/resolution")
    with app.app_context():
        resolution_id = resolution_of(meeting_id).id
        audits = db.session.scalar(select(func.count()).select_from(AuditEntry))
    response = client.post(f"/resolutions/{resolution_id}/issue", follow_redirects=True)
    assert "Chưa thể ban hành nghị quyết, còn thiếu: biên bản buổi sinh hoạt được thông qua" in response.get_data(
        as_text=True
    )
    with app.app_context():
        assert not db.session.get(Resolution, resolution_id).is_issued
        assert db.session.get(Resolution, resolution_id).number is None
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == audits


def test_too_long_or_missing_texts_are_refused_with_a_message_and_nothing_written(
    app, client, login_as, adopted_meeting
):
    login_as("xa")
    client.post(f"/meetings/{adopted_meeting}/resolution")
    with app.app_context():
        resolution = resolution_of(adopted_meeting)
        before = form_of(resolution)
        resolution_id = resolution.id
    response = client.post(f"/resolutions/{resolution_id}", data=before | {"summary": "v" * 301, "results": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Trích yếu dài quá 300 ký tự." in page
    assert "Ghi kết quả thực hiện nhiệm vụ trong tháng." in page
    with app.app_context():
        assert form_of(db.session.get(Resolution, resolution_id)) == before


def test_a_save_over_a_newer_text_is_refused_with_both_texts(app, client, login_as, adopted_meeting):
    login_as("xa")
    client.post(f"/meetings/{adopted_meeting}/resolution")
    with app.app_context():
        stale = form_of(resolution_of(adopted_meeting))
        resolution_id = resolution_of(adopted_meeting).id
    assert client.post(f"/resolutions/{resolution_id}", data=stale | {"results": "Bản thứ nhất"}).status_code == 303
    response = client.post(f"/resolutions/{resolution_id}", data=stale | {"results": "Bản thứ hai"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Bản thứ nhất" in page and "Bản thứ hai" in page
    with app.app_context():
        assert db.session.get(Resolution, resolution_id).results == "Bản thứ nhất"


def test_extract_of_an_item_is_offered_after_adoption_with_the_vote(app, client, login_as, adopted_meeting):
    login_as("xa")
    page = client.get(f"/meetings/{adopted_meeting}/minutes").get_data(as_text=True)
    with app.app_context():
        minutes = db.session.scalars(select(Minutes).where(Minutes.meeting_id == adopted_meeting)).one()
        item = minutes.items[3]
        code = records.current_version(DocumentKind.minutes, minutes.id).display_code
        meeting = db.session.get(Meeting, adopted_meeting)
        secretary = secretary_on(meeting.cell_id, meeting.on).full_name
    assert f"/meetings/{adopted_meeting}/print/extract?item={item.id}" in page
    extract = client.get(f"/meetings/{adopted_meeting}/print/extract?item={item.id}").get_data(as_text=True)
    for expected in (
        "TRÍCH BIÊN BẢN",
        "Trích từ Biên bản số 01-BB/CB, phiên bản 1",
        "Chi bộ hoàn thành các chỉ tiêu tháng.",
        "tán thành 2/2, không tán thành 0, ý kiến khác 0",
        "được thông qua",
        code,
        secretary,
    ):
        assert expected in extract, expected
    assert "dự thảo" not in extract


def test_a_demo_resolution_downloads_as_pdf(app, client, login_as):
    import io
    import unicodedata

    from pypdf import PdfReader

    with app.app_context():
        resolution = db.session.scalars(
            select(Resolution).where(Resolution.status == "issued").order_by(Resolution.id).limit(1)
        ).one()
        meeting_id, number, signer = resolution.meeting_id, resolution.number, resolution.signer_name
    login_as("xa")
    response = client.get(f"/meetings/{meeting_id}/print/resolution.pdf")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = unicodedata.normalize("NFC", "".join("".join(p.extract_text() for p in reader.pages).split()))
    for expected in (f"Số{number}", "NGHỊQUYẾT", "T/MCHIBỘ", "BÍTHƯ", "".join(signer.split()), "Nơinhận:", "Mãxácthực"):
        assert expected in text, expected


def test_who_may_draft_and_issue(app, client, login_as, world, adopted_meeting):
    """Reading follows the meeting (404 outside the tree), writing needs run_meetings (403)."""
    login_as("xem")  # read-only viewer on the district
    assert client.get(f"/meetings/{adopted_meeting}/resolution").status_code == 200
    assert client.post(f"/meetings/{adopted_meeting}/resolution").status_code == 403
    with app.app_context():
        assert resolution_of(adopted_meeting) is None
        elsewhere = db.session.scalar(
            select(Minutes.meeting_id)
            .join(Meeting, Minutes.meeting_id == Meeting.id)
            .where(Meeting.cell_id == world["other_commune_cell"], Minutes.status == "adopted")
            .limit(1)
        )
    login_as("xa")  # the office of another commune
    assert client.get(f"/meetings/{elsewhere}/resolution").status_code == 404
    assert client.post(f"/meetings/{elsewhere}/resolution").status_code == 404
    with app.app_context():
        assert resolution_of(elsewhere) is None
