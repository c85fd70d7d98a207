"""The score sheets shipped with the product (plain data, also read by migration 0004).

A 100-point sheet on the five criteria of HD 12-HD/BTCTW (attendance, preparation,
conduct, principles, results), a thematic variant, and four sets by cell type in the
manner of Hải Phòng's QĐ 1665-QĐ/TU (2019). Facts a criterion can be derived from:
attendance_rate, no_unexcused, committee_met, documents_ahead, duration, speakers,
minutes_complete."""

# (group, text, max points, needed in full for Tốt, fact)
_ATTENDANCE = [
    ("Dự họp", "Đảng viên dự sinh hoạt đạt trên 85% (trừ miễn sinh hoạt)", 10, True, "attendance_rate"),
    ("Dự họp", "Không có đảng viên vắng không lý do", 10, True, "no_unexcused"),
]
_PREPARATION = [
    ("Chuẩn bị", "Bí thư chuẩn bị nội dung, dự thảo nghị quyết/kết luận", 8, False, None),
    ("Chuẩn bị", "Chi ủy họp trước để thống nhất nội dung", 6, False, "committee_met"),
    ("Chuẩn bị", "Tài liệu gửi đảng viên trước ít nhất 1 ngày", 6, False, "documents_ahead"),
]
_CONDUCT = [
    ("Tổ chức", "Đúng giờ, đúng trình tự; biểu dương, nhắc nhở, phê bình", 6, False, None),
    ("Tổ chức", "Thời lượng đủ theo quy định (90 phút; 120 phút khi kết hợp)", 8, True, "duration"),
    ("Tổ chức", "Nhiều đảng viên phát biểu ý kiến (từ 3 ý kiến)", 8, True, "speakers"),
    ("Tổ chức", "Biên bản ghi đầy đủ, được thông qua", 8, True, "minutes_complete"),
]
_PRINCIPLES = [
    ("Nguyên tắc", "Thực hiện nguyên tắc tập trung dân chủ", 7, False, None),
    ("Nguyên tắc", "Tự phê bình và phê bình thẳng thắn, xây dựng", 8, False, None),
]


def _results(text: str) -> list:
    return [
        ("Kết quả", "Nghị quyết, kết luận kỳ trước được thực hiện", 8, False, None),
        ("Kết quả", text, 7, False, None),
    ]


REGULAR = _ATTENDANCE + _PREPARATION + _CONDUCT + _PRINCIPLES + _results("Nhiệm vụ chính trị của chi bộ được thực hiện")
THEMATIC = (
    _ATTENDANCE
    + [
        ("Chuẩn bị", "Chuyên đề được chuẩn bị theo kế hoạch, có người trình bày", 12, False, None),
        ("Chuẩn bị", "Tài liệu chuyên đề gửi đảng viên trước ít nhất 1 ngày", 8, False, "documents_ahead"),
    ]
    + _CONDUCT
    + _PRINCIPLES
    + _results("Chi bộ kết luận chuyên đề, có giải pháp vận dụng")
)

BANDS = [[90, "good"], [70, "fair"], [50, "average"], [0, "poor"]]
GRADE_LABELS = {"good": "Tốt", "fair": "Khá", "average": "Trung bình", "poor": "Kém"}

# (name, legal basis, cell types ("" = all), meeting kinds, criteria)
DEFAULT_TEMPLATES = [
    ("Phiếu chấm điểm sinh hoạt chi bộ thường kỳ", "HD 12-HD/BTCTW", "", "regular,combined,extraordinary", REGULAR),
    ("Phiếu chấm điểm sinh hoạt chuyên đề", "HD 12-HD/BTCTW", "", "thematic", THEMATIC),
    (
        "Phiếu chấm điểm chi bộ thôn, tổ dân phố",
        "QĐ 1665-QĐ/TU (Hải Phòng)",
        "residential",
        "regular,combined,extraordinary",
        _ATTENDANCE
        + _PREPARATION
        + _CONDUCT
        + _PRINCIPLES
        + _results("Lãnh đạo thực hiện nhiệm vụ ở khu dân cư, vận động nhân dân"),
    ),
    (
        "Phiếu chấm điểm chi bộ cơ quan, đơn vị sự nghiệp",
        "QĐ 1665-QĐ/TU (Hải Phòng)",
        "agency",
        "regular,combined,extraordinary",
        _ATTENDANCE
        + _PREPARATION
        + _CONDUCT
        + _PRINCIPLES
        + _results("Lãnh đạo hoàn thành nhiệm vụ chuyên môn của cơ quan, đơn vị"),
    ),
    (
        "Phiếu chấm điểm chi bộ doanh nghiệp nhà nước",
        "QĐ 1665-QĐ/TU (Hải Phòng)",
        "state_enterprise",
        "regular,combined,extraordinary",
        _ATTENDANCE
        + _PREPARATION
        + _CONDUCT
        + _PRINCIPLES
        + _results("Lãnh đạo thực hiện chỉ tiêu sản xuất, kinh doanh"),
    ),
    (
        "Phiếu chấm điểm chi bộ doanh nghiệp khác, hợp tác xã",
        "QĐ 1665-QĐ/TU (Hải Phòng)",
        "other_enterprise",
        "regular,combined,extraordinary",
        _ATTENDANCE
        + _PREPARATION
        + _CONDUCT
        + _PRINCIPLES
        + _results("Lãnh đạo sản xuất, kinh doanh; chăm lo quyền lợi người lao động"),
    ),
]
assert all(sum(c[2] for c in criteria) == 100 for *_, criteria in DEFAULT_TEMPLATES)  # nosec B101  # checks the table
