"""The proposals register: raised in a cell, forwarded, answered by the office it is
addressed to, reported back at the next meeting; overdue ones stand out."""

from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db
from app.org.models import OrgUnit
from app.proposals.models import Proposal


def test_proposal_from_raise_to_report_back(app, client, login_as, cell, held_meeting):
    with app.app_context():
        commune_id = db.session.get(OrgUnit, cell).parent_id
    login_as("xa")
    client.post(f"/cells/{cell}/proposals", data={"addressed_unit_id": commune_id, "content": ""})
    response = client.post(
        f"/cells/{cell}/proposals",
        data={
            "addressed_unit_id": commune_id,
            "content": "Đề nghị sửa đường điện chiếu sáng ngõ 3.",
            "meeting_id": held_meeting,
        },
    )
    assert response.status_code == 303
    with app.app_context():
        proposal = db.session.scalars(select(Proposal).where(Proposal.cell_id == cell)).one()
        assert proposal.raised_by == "Chi bộ" and proposal.meeting_id == held_meeting
    client.post(
        f"/proposals/{proposal.id}/forward",
        data={
            "deadline_on": (date.today() - timedelta(days=1)).isoformat(),
            "forwarded_on": (date.today() - timedelta(days=10)).isoformat(),
        },
    )
    inbox = client.get(f"/units/{commune_id}/proposals").get_data(as_text=True)
    assert "sửa đường điện" in inbox and "quá hạn" in inbox
    client.post(f"/proposals/{proposal.id}/answer", data={"answer": "Đã giao Ủy ban xã lắp đặt trong tháng."})
    register = client.get(f"/cells/{cell}/proposals").get_data(as_text=True)
    assert "Đã trả lời" in register and "Đã giao Ủy ban xã lắp đặt" in register
    # The next meeting's review item shows the answer until it is reported back.
    response = client.post(
        f"/cells/{cell}/meetings/new", data={"kind": "regular", "planned_on": date.today().isoformat()}
    )
    next_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert "Đã giao Ủy ban xã lắp đặt" in client.get(f"/meetings/{next_id}").get_data(as_text=True)
    client.post(f"/proposals/{proposal.id}/report", data={"meeting_id": next_id}, follow_redirects=True)
    assert "Đã giao Ủy ban xã lắp đặt" not in client.get(f"/meetings/{next_id}").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Proposal, proposal.id).status == "reported"


def test_proposals_stay_in_scope(app, client, login_as, world, cell):
    with app.app_context():
        commune_id = db.session.get(OrgUnit, cell).parent_id
    login_as("xa")
    client.post(f"/cells/{cell}/proposals", data={"addressed_unit_id": commune_id, "content": "Kiến nghị riêng"})
    with app.app_context():
        proposal_id = db.session.scalars(select(Proposal.id).where(Proposal.cell_id == cell)).one()
    login_as("bithu")  # another cell's secretary
    assert client.get(f"/cells/{cell}/proposals").status_code == 404
    assert client.post(f"/proposals/{proposal_id}/answer", data={"answer": "x"}).status_code == 404
    login_as("xem")  # viewer: reads, cannot answer
    assert client.get(f"/units/{commune_id}/proposals").status_code == 200
    assert client.post(f"/proposals/{proposal_id}/answer", data={"answer": "x"}).status_code == 403
    login_as("huyen")  # an office above may answer too: office rights cascade down the tree
    assert client.post(f"/proposals/{proposal_id}/answer", data={"answer": "x"}).status_code == 303


def test_an_overlong_proposal_is_refused_not_cut(app, client, login_as, cell):
    with app.app_context():
        commune_id = db.session.get(OrgUnit, cell).parent_id
    login_as("xa")
    response = client.post(
        f"/cells/{cell}/proposals",
        data={"addressed_unit_id": commune_id, "content": "Đề nghị " * 1000},
        follow_redirects=True,
    )
    assert "Nội dung dài quá 5.000 ký tự." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Proposal).where(Proposal.cell_id == cell)).first() is None
