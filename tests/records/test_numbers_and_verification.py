"""Numbers per cell, type and committee term; the sealed versions and the
"Xác thực văn bản" page (right code, wrong code, an older version, a tampered record)."""

import re
from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.meetings.models import Meeting
from app.minutes import services as minutes_services
from app.minutes.models import Minutes, MinutesStatus
from app.records import services as records
from app.records.models import DocumentKind, DocumentNumber, DocumentVersion
from tests.records.conftest import adopt_meeting


def minutes_of(meeting_id):
    return db.session.scalars(select(Minutes).where(Minutes.meeting_id == meeting_id)).one()


def test_committee_terms_follow_the_five_year_congress_cycle(app):
    with app.app_context():
        assert records.committee_term(date(2024, 12, 31)) == (2020, 2025)
        assert records.committee_term(date(2025, 1, 1)) == (2025, 2030)
        assert records.committee_term(date(2031, 6, 1)) == (2030, 2035)


def test_minutes_are_numbered_on_adoption_from_01_per_term_and_keep_their_number(app, cell):
    with app.test_request_context():
        earlier = adopt_meeting(cell, date(2024, 11, 5))  # term 2020–2025
        first = adopt_meeting(cell, date(2025, 9, 5))  # term 2025–2030
        second = adopt_meeting(cell, date(2025, 10, 5))
        db.session.commit()
        assert minutes_of(earlier).number == "01-BB/CB"
        assert minutes_of(first).number == "01-BB/CB"
        assert minutes_of(second).number == "02-BB/CB"
        # Reopened and adopted again: the same number, a new version; nothing handed out twice.
        meeting = db.session.get(Meeting, first)
        minutes = minutes_of(first)
        minutes_services.reopen(None, minutes, meeting, "Ghi thiếu ý kiến của đồng chí bí thư")
        minutes_services.adopt(None, minutes, meeting)
        db.session.commit()
        assert minutes.number == "01-BB/CB"
        versions = records.versions_of(DocumentKind.minutes, minutes.id)
        assert [(v.version, v.event, v.is_current) for v in versions] == [
            (1, "Thông qua", False),
            (2, "Thông qua lại sau khi mở lại", True),
        ]
        assert "mở lại" in versions[0].superseded_note
        labels = db.session.scalars(
            select(DocumentNumber.label).where(DocumentNumber.cell_id == cell, DocumentNumber.term_from == 2025)
        ).all()
        assert sorted(labels) == ["01-BB/CB", "02-BB/CB"]


def test_a_number_is_unique_per_cell_type_and_term_in_the_database(app, adopted_meeting):
    with app.app_context():
        taken = db.session.scalars(
            select(DocumentNumber).where(DocumentNumber.document_id == minutes_of(adopted_meeting).id)
        ).one()
        db.session.add(
            DocumentNumber(
                cell_id=taken.cell_id,
                kind=taken.kind,
                term_from=taken.term_from,
                term_to=taken.term_to,
                seq=taken.seq,
                label=taken.label,
                document_id=taken.document_id + 10_000_000,
                document_on=taken.document_on,
            )
        )
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_a_racing_adoption_takes_the_next_number(app, cell, monkeypatch):
    """Another office took 01 between our read of the register and our insert: the unique
    key refuses ours, and the retry takes 02 instead of failing or sharing 01."""
    with app.test_request_context():
        adopt_meeting(cell, date(2025, 9, 5))
        real_next = records._next_seq
        calls = []

        def stale_read(*args):
            calls.append(args)
            return 1 if len(calls) == 1 else real_next(*args)

        monkeypatch.setattr(records, "_next_seq", stale_read)
        second = adopt_meeting(cell, date(2025, 10, 5))
        db.session.commit()
        assert len(calls) == 2
        assert minutes_of(second).number == "02-BB/CB"


def test_the_printed_adopted_minutes_carry_number_version_code_and_qr(app, client, login_as, adopted_meeting):
    login_as("xa")
    page = client.get(f"/meetings/{adopted_meeting}/print/minutes").get_data(as_text=True)
    with app.app_context():
        version = records.current_version(DocumentKind.minutes, minutes_of(adopted_meeting).id)
        assert re.fullmatch(r"[A-Z2-7]{12}", version.code)
        code = version.display_code
    assert "Số 01-BB/CB" in page
    assert f"Mã xác thực: <strong class=\"doc-seal-code\">{code}</strong>" in page
    assert "phiên bản 1" in page
    assert '<svg width="' in page and 'class="segno"' in page
    # The same stored code prints the same bytes every time.
    assert client.get(f"/meetings/{adopted_meeting}/print/minutes").get_data(as_text=True) == page


def test_the_code_does_not_depend_on_the_cell_name(app, adopted_meeting):
    """Derived from stored content only: renaming the cell changes nothing."""
    with app.app_context():
        minutes = minutes_of(adopted_meeting)
        version = records.current_version(DocumentKind.minutes, minutes.id)
        meeting = db.session.get(Meeting, adopted_meeting)
        meeting.cell.name = "Chi bộ đã đổi tên"
        db.session.flush()
        content = records.minutes_contents([minutes.id])[minutes.id]
        assert records.digest(content, version.version) == version.content_hash
        db.session.rollback()


def test_verification_page_answers_a_right_code(app, client, login_as, adopted_meeting):
    with app.app_context():
        minutes = minutes_of(adopted_meeting)
        version = records.current_version(DocumentKind.minutes, minutes.id)
        code, resolution_text = version.display_code, minutes.resolution
    login_as("xem")  # any logged-in user may verify; the page shows no text
    response = client.get("/documents/verify", query_string={"code": code.lower().replace("-", " ")})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "đây là phiên bản hiện hành" in page
    assert "Biên bản số 01-BB/CB" in page
    assert "Chi bộ thử nghiệm họp" in page
    assert "Nội dung lưu trong hệ thống khớp với mã này" in page
    assert resolution_text not in page


def test_verification_page_says_not_found_for_a_wrong_code(client, login_as):
    login_as("xa")
    response = client.get("/documents/verify", query_string={"code": "AAAA-BBBB-CCCC"})
    assert response.status_code == 200
    assert "Không tìm thấy văn bản nào có mã" in response.get_data(as_text=True)


def test_an_erratum_supersedes_the_printed_version(app, client, login_as, adopted_meeting):
    with app.app_context():
        old = records.current_version(DocumentKind.minutes, minutes_of(adopted_meeting).id).display_code
    login_as("xa")
    with app.app_context():
        minutes_id = minutes_of(adopted_meeting).id
    response = client.post(f"/minutes/{minutes_id}/erratum", data={"text": "Sửa giờ kết thúc thành 21 giờ 20."})
    assert response.status_code == 303
    with app.app_context():
        new = records.current_version(DocumentKind.minutes, minutes_id)
        assert (new.version, new.event) == (2, "Đính chính")
        new_code = new.display_code
    page = client.get("/documents/verify", query_string={"code": old}).get_data(as_text=True)
    assert "đã được thay thế" in page
    assert "bởi phiên bản 2 (đính chính" in page and new_code in page
    assert "Đính chính" in page
    printed = client.get(f"/meetings/{adopted_meeting}/print/minutes").get_data(as_text=True)
    assert new_code in printed and old not in printed


def test_a_record_changed_behind_the_application_no_longer_matches(app, client, login_as, adopted_meeting):
    with app.app_context():
        minutes = minutes_of(adopted_meeting)
        code = records.current_version(DocumentKind.minutes, minutes.id).display_code
        db.session.execute(
            text("UPDATE minutes SET resolution = 'Nội dung bị sửa trong cơ sở dữ liệu' WHERE id = :id"),
            {"id": minutes.id},
        )
        db.session.commit()
    login_as("xa")
    page = client.get("/documents/verify", query_string={"code": code}).get_data(as_text=True)
    assert "không còn khớp với mã này" in page


def test_demo_adopted_minutes_have_numbers_and_codes(app):
    with app.app_context():
        adopted = db.session.scalar(
            select(db.func.count()).select_from(Minutes).where(Minutes.status == MinutesStatus.adopted.value)
        )
        unnumbered = db.session.scalar(
            select(db.func.count())
            .select_from(Minutes)
            .where(Minutes.status == MinutesStatus.adopted.value, Minutes.number.is_(None))
        )
        sealed = db.session.scalar(
            select(db.func.count(db.distinct(DocumentVersion.document_id))).where(
                DocumentVersion.kind == DocumentKind.minutes.value
            )
        )
        assert adopted > 100 and unnumbered == 0 and sealed >= adopted
        assert db.session.scalar(
            select(db.func.count()).select_from(DocumentVersion).where(
                DocumentVersion.kind == DocumentKind.resolution.value
            )
        )


def test_reopened_minutes_no_longer_verify_as_current(app, client, login_as, adopted_meeting):
    with app.test_request_context():
        minutes = minutes_of(adopted_meeting)
        code = records.current_version(DocumentKind.minutes, minutes.id).display_code
        minutes_services.reopen(None, minutes, db.session.get(Meeting, adopted_meeting), "Lý do riêng của văn phòng")
        db.session.commit()
    login_as("xa")
    page = client.get("/documents/verify", query_string={"code": code}).get_data(as_text=True)
    assert "không còn hiệu lực" in page and "Biên bản được mở lại để sửa" in page
    assert "Lý do riêng của văn phòng" not in page


def test_adopted_minutes_page_shows_number_version_and_code(app, client, login_as, adopted_meeting):
    with app.app_context():
        code = records.current_version(DocumentKind.minutes, minutes_of(adopted_meeting).id).display_code
    login_as("xa")
    page = client.get(f"/meetings/{adopted_meeting}/minutes").get_data(as_text=True)
    assert "Số 01-BB/CB." in page and f"Phiên bản 1, mã xác thực <strong>{code}</strong>" in page
