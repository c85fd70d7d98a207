"""The standard order of each kind of meeting (DOMAIN §2, from HD 12-HD/BTCTW and a
commune's published programme). A commune office may save its own order per kind."""

from app.meetings.models import MeetingKind

REVIEW_TITLE = "Kiểm điểm việc thực hiện nghị quyết, nhiệm vụ kỳ trước"

_OPENING = "Khai mạc: nêu mục đích, giới thiệu đại biểu; cử thư ký; điểm danh; thông qua chương trình"
_CLOSING = "Đọc lại và thông qua biên bản; bế mạc"

# (title, planned minutes, is the review item)
_REGULAR = [
    (_OPENING, 10, False),
    ("Thông tin thời sự, quán triệt văn bản của cấp trên", 15, False),
    ("Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", 10, False),
    (REVIEW_TITLE, 5, True),
    ("Đánh giá kết quả tháng trước của chi bộ và từng đảng viên (biểu dương, nhắc nhở, phê bình)", 10, False),
    ("Phương hướng, nhiệm vụ tháng tới", 10, False),
    ("Thảo luận; tự phê bình và phê bình", 15, False),
    ("Ý kiến của đại biểu cấp trên; chủ trì tiếp thu", 5, False),
    ("Công tác đảng viên và kiến nghị của đảng viên", 5, False),
    ("Kết luận, phân công nhiệm vụ", 5, False),
    ("Biểu quyết thông qua nghị quyết/kết luận", 3, False),
    ("Chấm điểm chất lượng buổi sinh hoạt", 2, False),
    (_CLOSING, 5, False),
]
_THEMATIC = [
    (_OPENING, 10, False),
    ("Trình bày dự thảo chuyên đề", 30, False),
    ("Thảo luận chuyên đề", 35, False),
    ("Ý kiến của đại biểu cấp trên", 5, False),
    ("Bí thư kết luận chuyên đề", 5, False),
    ("Chấm điểm chất lượng buổi sinh hoạt", 2, False),
    (_CLOSING, 5, False),
]
_COMBINED = (
    _REGULAR[:7] + [("Trình bày dự thảo chuyên đề", 20, False), ("Thảo luận chuyên đề", 20, False)] + _REGULAR[7:]
)
_COMMITTEE = [
    ("Đánh giá việc thực hiện nghị quyết tháng trước", 15, True),
    ("Thống nhất nội dung, chương trình sinh hoạt chi bộ", 20, False),
    ("Phân công chuẩn bị dự thảo nghị quyết, tài liệu, người trình bày", 15, False),
    ("Kết luận", 10, False),
]
_EXTRAORDINARY = [
    (_OPENING, 10, False),
    ("Nội dung cần giải quyết", 30, False),
    ("Thảo luận", 30, False),
    ("Kết luận, biểu quyết", 15, False),
    (_CLOSING, 5, False),
]

STANDARD_AGENDA: dict[str, list[tuple[str, int, bool]]] = {
    MeetingKind.regular: _REGULAR,
    MeetingKind.thematic: _THEMATIC,
    MeetingKind.combined: _COMBINED,
    MeetingKind.committee: _COMMITTEE,
    MeetingKind.extraordinary: _EXTRAORDINARY,
}
