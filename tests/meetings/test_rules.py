"""Rules of meetings and minutes, tested below the web layer."""

import io
import zipfile
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest

from app.extensions import db
from app.meetings import services
from app.meetings.documents import detect_kind, is_late
from app.meetings.forms import parse_template_lines
from app.meetings.models import Meeting, MeetingStatus
from app.minutes.services import check_vote
from app.org.history import UnitAsOf, derive_place
from app.org.models import OrgUnit
from app.printing.layout import document_title, long_date, place_name
from app.rules import RuleError
from tests.uploads import docx, odt, xlsx


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data, kind",
    [
        (b"%PDF-1.7\n...", "pdf"),
        (b"\x89PNG\r\n\x1a\n....", "png"),
        (b"\xff\xd8\xff\xe0....", "jpeg"),
        (docx(), "docx"),
        (xlsx(1), "xlsx"),
        (odt(), "odt"),
        # The part names alone no longer make a document: its declared type does.
        (_zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}), None),
        (_zip({"evil.sh": b"rm -rf /"}), None),
        (b"MZ\x90\x00", None),
        (b"<html><script>alert(1)</script>", None),
        (b"PK\x03\x04 not really a zip", None),
    ],
)
def test_document_type_comes_from_the_bytes(data, kind):
    assert detect_kind(data) == kind


def test_documents_less_than_a_day_ahead_are_late():
    meeting = SimpleNamespace(on=date(2026, 5, 5), started_at=None, planned_time=time(19, 30))
    assert is_late(datetime(2026, 5, 4, 20, 0), meeting)
    assert not is_late(datetime(2026, 5, 4, 19, 0), meeting)
    assert is_late(None, meeting)


@pytest.mark.parametrize(
    "votes, entitled, passed",
    [((5, 0, 0), 5, True), ((3, 2, 0), 5, True), ((2, 2, 1), 5, False), ((3, 0, 0), 6, False), ((0, 0, 0), 0, False)],
)
def test_vote_passes_with_more_than_half_of_the_full_members_present(votes, entitled, passed):
    assert check_vote(*votes, entitled).passed is passed


def test_vote_counts_cannot_exceed_those_entitled_or_be_negative():
    with pytest.raises(RuleError, match="vượt quá"):
        check_vote(4, 1, 1, 5)
    with pytest.raises(RuleError, match="âm"):
        check_vote(-1, 0, 0, 5)
    assert check_vote(None, None, None, 5) is None


def test_template_lines_parse_with_review_marker_and_errors():
    items, errors = parse_template_lines("Khai mạc | 10\n\n* Kiểm điểm | 5\nThảo luận\nSai | 0")
    assert items == [("Khai mạc", 10, False), ("Kiểm điểm", 5, True), ("Thảo luận", 10, False)]
    assert errors == ["Dòng 5: số phút phải là số từ 1 đến 240."]


def test_titles_and_dates_follow_the_party_document_rules():
    def meeting(kind, on):
        return SimpleNamespace(kind=kind, on=on)

    assert document_title(meeting("regular", date(2026, 2, 5))) == "SINH HOẠT CHI BỘ THƯỜNG KỲ THÁNG 02 NĂM 2026"
    assert document_title(meeting("regular", date(2026, 11, 5))) == "SINH HOẠT CHI BỘ THƯỜNG KỲ THÁNG 11 NĂM 2026"
    assert document_title(meeting("thematic", date(2026, 8, 5))) == "SINH HOẠT CHUYÊN ĐỀ QUÝ III NĂM 2026"
    assert document_title(meeting("committee", date(2026, 3, 5))) == "HỌP CHI ỦY THÁNG 3 NĂM 2026"
    assert long_date(date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert long_date(date(2026, 12, 25)) == "ngày 25 tháng 12 năm 2026"
    assert derive_place("Đảng bộ xã Ninh Hải") == "Ninh Hải"
    assert derive_place("Đảng bộ phường Lê Lợi") == "Lê Lợi"
    commune = UnitAsOf(7, "Đảng bộ phường Lê Lợi", "commune", "Lê Lợi", 1, "/1/7/")
    cell = UnitAsOf(42, "Chi bộ thôn An", "cell", "thôn An", 7, "/1/7/42/", parent=commune)
    assert place_name(cell) == "Lê Lợi"  # a cell writes its commune's place
    assert place_name(commune) == "Lê Lợi"  # a committee's own document: its own place


def test_plan_year_is_idempotent_and_respects_the_cell_dates(app, cell):
    with app.test_request_context():
        unit = db.session.get(OrgUnit, cell)
        year = date.today().year + 2
        assert services.plan_year(None, unit, year) == 12
        assert services.plan_year(None, unit, year) == 0
        unit.valid_to = date(year + 1, 7, 1)
        assert services.plan_year(None, unit, year + 1) == 6  # January to June
        db.session.rollback()


def test_plan_year_needs_a_fixed_day(app, cell):
    with app.test_request_context():
        unit = db.session.get(OrgUnit, cell)
        unit.parent.meeting_day, unit.meeting_day = None, None
        with pytest.raises(RuleError, match="ngày sinh hoạt cố định"):
            services.plan_year(None, unit, 2031)
        db.session.rollback()


def test_status_rules(app, cell):
    with app.test_request_context():
        unit = db.session.get(OrgUnit, cell)
        meeting = services.schedule_meeting(None, unit, kind="regular", planned_on=date.today() + timedelta(days=30))
        with pytest.raises(RuleError, match="tương lai"):
            services.mark_held(None, meeting, date.today() + timedelta(days=1), None)
        with pytest.raises(RuleError, match="sau ngày dự kiến"):
            services.postpone(None, meeting, meeting.planned_on, "Mưa bão")
        services.cancel(None, meeting, "Sáp nhập chi bộ")
        assert meeting.status == MeetingStatus.cancelled
        with pytest.raises(RuleError):
            services.add_agenda_item(None, meeting, "Nội dung thêm", 10)
        with pytest.raises(RuleError, match="chi ủy"):
            services.schedule_meeting(None, unit, kind="regular", planned_on=date.today(), prepares=meeting)
        db.session.rollback()


def test_moving_the_first_item_up_changes_nothing(app, cell):
    with app.test_request_context():
        unit = db.session.get(OrgUnit, cell)
        meeting = services.schedule_meeting(None, unit, kind="extraordinary", planned_on=date.today())
        before = [i.title for i in meeting.agenda_items]
        services.move_agenda_item(None, meeting.agenda_items[0], "up")
        services.move_agenda_item(None, meeting.agenda_items[-1], "down")
        assert [i.title for i in db.session.get(Meeting, meeting.id).agenda_items] == before
        db.session.rollback()


def test_tally_leaves_the_exempt_out_of_the_rate(app, held_meeting):
    from app.attendance import services as attendance
    from app.org.models import Exemption

    with app.test_request_context():
        meeting = db.session.get(Meeting, held_meeting)
        rows = attendance.attendance_sheet(meeting)
        db.session.add(Exemption(member_id=rows[0].member.id, reason="Tuổi cao", from_on=date(2020, 1, 1)))
        db.session.flush()
        attendance.mark_all_present(None, meeting)
        tally = attendance.tally(attendance.attendance_sheet(meeting))
        assert (tally.total, tally.exempt, tally.expected, tally.present, tally.unrecorded) == (2, 1, 1, 1, 0)
        assert tally.rate == 1.0 and tally.target_met
        attendance.mark(None, meeting, rows[1].member.id, "unexcused")
        tally = attendance.tally(attendance.attendance_sheet(meeting))
        assert tally.rate == 0.0 and tally.unexcused == 1 and not tally.target_met
        db.session.rollback()
