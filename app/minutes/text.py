"""The minutes as one plain text: what a revision stores and the history compares."""

from app.meetings.models import Meeting


def _time(t) -> str:
    return t.strftime("%H:%M") if t else "…"


def minutes_text(minutes, meeting: Meeting) -> str:
    from app.minutes.services import tasks_of

    lines = [
        f"Thời gian: ngày {meeting.on:%d/%m/%Y}, từ {_time(meeting.started_at)} đến {_time(meeting.ended_at)}",
        f"Địa điểm: {meeting.place or '…'}",
        f"Chủ trì: {meeting.chair.full_name if meeting.chair else '…'}",
        f"Thư ký: {meeting.minute_taker.full_name if meeting.minute_taker else '…'}",
    ]
    if minutes.number:
        lines.append(f"Số: {minutes.number}")
    if minutes.delegates:
        lines.append(f"Đại biểu dự: {minutes.delegates}")
    for item in minutes.items:
        lines.append("")
        lines.append(f"{item.position}. {item.title}" + (f" — trình bày: {item.presenter}" if item.presenter else ""))
        if item.content:
            lines.append(item.content)
        for speaker in item.speakers:
            lines.append(f"- Đồng chí {speaker.name}: {speaker.said}")
        if item.conclusion:
            lines.append(f"Kết luận: {item.conclusion}")
    for label, value in (
        ("Ý kiến đại biểu cấp trên", minutes.superior_remarks),
        ("Nghị quyết/kết luận", minutes.resolution),
        ("Kiến nghị của đảng viên", minutes.proposals),
    ):
        if value:
            lines += ["", f"{label}: {value}"]
    tasks = tasks_of(meeting)
    if tasks:
        lines += ["", "Phân công nhiệm vụ:"]
        lines += [
            f"- {t.assignee_name}: {t.description}" + (f" (hạn {t.due_on:%d/%m/%Y})" if t.due_on else "") for t in tasks
        ]
    if minutes.has_vote:
        lines += [
            "",
            f"Biểu quyết: tán thành {minutes.votes_for or 0}, không tán thành {minutes.votes_against or 0}, "
            f"ý kiến khác {minutes.votes_other or 0}",
        ]
    if minutes.closing:
        lines += ["", minutes.closing]
    for erratum in minutes.errata:
        lines += ["", f"Đính chính ({erratum.created_at:%d/%m/%Y}): {erratum.text}"]
    return "\n".join(lines)
