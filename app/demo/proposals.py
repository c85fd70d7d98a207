"""Demo proposals in every status: raised at past meetings, addressed to the commune
(sometimes the district), some forwarded and overdue, some answered, most reported back."""

import random
from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db
from app.meetings.models import Meeting
from app.org.models import OrgUnit
from app.proposals.models import Proposal

TEXTS = [
    ("Đề nghị sửa chữa tuyến đường liên thôn bị xuống cấp.", "Đã đưa vào kế hoạch duy tu năm sau."),
    ("Đề nghị lắp thêm đèn chiếu sáng ở ngõ xóm.", "Ủy ban xã đã giao Ban quản lý thôn lắp đặt."),
    ("Đề nghị hỗ trợ kinh phí tu sửa nhà văn hóa thôn.", "Xã hỗ trợ một phần từ nguồn ngân sách nông thôn mới."),
    ("Đề nghị cấp trên sớm giải quyết hồ sơ đất đai tồn đọng của các hộ.", "Đã chuyển Phòng Tài nguyên và Môi trường."),
    (
        "Đề nghị tổ chức lớp bồi dưỡng lý luận chính trị cho đảng viên mới.",
        "Trung tâm chính trị huyện mở lớp trong quý tới.",
    ),
]


def build_proposals(seed: int = 13) -> int:
    rng = random.Random(seed)  # nosec B311  # demo data, seeded so every build is the same
    today = date.today()
    meetings = db.session.execute(
        select(Meeting, OrgUnit)
        .join(OrgUnit, Meeting.cell_id == OrgUnit.id)
        .where(Meeting.status == "adopted", Meeting.kind == "regular", OrgUnit.parent_id.is_not(None))
        .order_by(Meeting.id)
    ).all()
    made = 0
    for meeting, cell in meetings:
        if rng.random() > 0.15:
            continue
        content, reply = rng.choice(TEXTS)
        addressed = cell.parent_id if rng.random() < 0.8 or not cell.parent.parent_id else cell.parent.parent_id
        age = (today - meeting.on).days
        proposal = Proposal(
            cell_id=cell.id,
            meeting_id=meeting.id,
            raised_by="Chi bộ",
            content=content,
            addressed_unit_id=addressed,
            received_on=meeting.on,
        )
        if age > 10:
            proposal.status, proposal.forwarded_on = "forwarded", meeting.on + timedelta(days=3)
            proposal.deadline_on = meeting.on + timedelta(days=30)
        if age > 45 and rng.random() < 0.8:
            proposal.status, proposal.answer = "answered", reply
            proposal.answered_on = meeting.on + timedelta(days=rng.randint(10, 40))
        if age > 80 and proposal.status == "answered" and rng.random() < 0.85:
            proposal.status = "reported"
        db.session.add(proposal)
        made += 1
    db.session.flush()
    return made
