"""Offices edit score templates as new versions; scored sheets keep theirs."""

from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.meetings.models import Meeting
from app.rules import RuleError
from app.scoring import services
from app.scoring.models import ScoreSheet, ScoreTemplate
from app.scoring.templates_admin import parse_bands


def test_district_edits_a_template_as_a_new_version(app, client, login_as, world):
    login_as("huyen")
    listing = client.get(f"/units/{world['district']}/score-templates").get_data(as_text=True)
    assert "Phiếu chấm điểm chi bộ thôn, tổ dân phố" in listing
    with app.app_context():
        base = db.session.scalars(select(ScoreTemplate).where(ScoreTemplate.cell_types == "residential")).first()
        base_id = base.id
        scored_before = db.session.scalar(
            select(db.func.count()).select_from(ScoreSheet).where(ScoreSheet.template_id == base_id)
        )
    form = client.get(f"/units/{world['district']}/score-templates/{base_id}/edit").get_data(as_text=True)
    assert "Dự họp | Đảng viên dự sinh hoạt đạt trên 85% (trừ miễn sinh hoạt) | 10 | * | attendance_rate" in form
    bad = client.post(
        f"/units/{world['district']}/score-templates/{base_id}/edit",
        data={"name": "Sai", "kinds": ["regular"], "criteria": "Nhóm | Tiêu chí | 90"},
    )
    assert bad.status_code == 422 and "phải bằng 100" in bad.get_data(as_text=True)
    assert 'name="band-good" value="90"' in form  # the shipped bands, editable
    criteria = "\n".join(
        [
            "Dự họp | Đảng viên dự trên 85% | 30 | * | attendance_rate",
            "Tổ chức | Thời lượng đủ | 30 | * | duration",
            "Kết quả | Thực hiện nghị quyết | 40",
        ]
    )
    ok = client.post(
        f"/units/{world['district']}/score-templates/{base_id}/edit",
        data={
            "name": "Phiếu thôn (Hoa Lư)",
            "legal_basis": "HD của Huyện ủy",
            "kinds": ["regular"],
            "cell_types": ["residential"],
            "criteria": criteria,
            "band-good": "85",
            "band-fair": "65",
            "band-average": "50",
        },
    )
    assert ok.status_code == 303
    with app.test_request_context():
        newest = db.session.scalars(select(ScoreTemplate).where(ScoreTemplate.name == "Phiếu thôn (Hoa Lư)")).one()
        assert newest.unit_id == world["district"] and newest.previous_id == base_id and len(newest.criteria) == 3
        assert newest.bands == [[85, "good"], [65, "fair"], [50, "average"], [0, "poor"]]
        points = {c.id: c.max_points for c in newest.criteria}
        points[newest.criteria[-1].id] = 25  # 85 in all, full marks where * is needed
        assert services.grade_of(newest, points) == (85, "good")
        # A regular meeting of a residential cell in the district now uses it; old sheets keep the old one.
        meeting = db.session.scalars(  # a coming meeting: the new version applies from today
            select(Meeting)
            .where(Meeting.cell_id == world["cell"], Meeting.kind == "regular", Meeting.planned_on >= date.today())
            .order_by(Meeting.planned_on)
        ).first()
        assert services.template_for(meeting).id == newest.id
        assert (
            db.session.scalar(select(db.func.count()).select_from(ScoreSheet).where(ScoreSheet.template_id == base_id))
            == scored_before
        )
        # Other districts still get the shipped template.
        other = db.session.scalars(
            select(Meeting).where(
                Meeting.cell_id == world["other_district_cell"],
                Meeting.kind == "regular",
                Meeting.planned_on >= date.today(),
            )
        ).first()
        assert services.template_for(other).unit_id is None
        newest.valid_to = newest.valid_from  # leave the shared data as it was for other tests
        db.session.commit()


def test_only_province_and_district_offices_edit_templates(client, login_as, world):
    login_as("xa")
    assert client.get(f"/units/{world['commune']}/score-templates").status_code == 404
    login_as("xem")
    assert client.get(f"/units/{world['district']}/score-templates").status_code == 403


@pytest.mark.parametrize(
    "wrong",
    [
        {"good": "70", "fair": "70", "average": "50"},
        {"good": "101", "fair": "70", "average": "50"},
        {"good": "90", "fair": "", "average": "50"},
        {"good": "90", "fair": "70", "average": "0"},
    ],
)
def test_grade_bands_must_fall_and_stay_within_100(wrong):
    assert parse_bands({"good": "90", "fair": "70", "average": "50"})[-1] == [0, "poor"]
    with pytest.raises(RuleError):
        parse_bands(wrong)
