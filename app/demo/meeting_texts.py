"""Vietnamese texts for demo meetings (typical of published cell minutes)."""

TOPICS = [
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về ý thức tôn trọng nhân dân",
    "Nâng cao chất lượng sinh hoạt chi bộ gắn với xây dựng nông thôn mới kiểu mẫu",
    "Đẩy mạnh chuyển đổi số trong thôn, tổ dân phố",
    "Vai trò của đảng viên trong giữ gìn an ninh trật tự, vệ sinh môi trường ở khu dân cư",
    "Tự soi, tự sửa theo Nghị quyết Trung ương 4 khóa XII",
    "Phát triển kinh tế hộ gia đình, giảm nghèo bền vững",
    "Công tác phát triển đảng viên trong thanh niên",
    "Phòng, chống tham nhũng, tiêu cực ở cơ sở",
]
PLACES = ["Nhà văn hóa thôn", "Hội trường Đảng ủy xã", "Phòng họp cơ quan", "Nhà văn hóa tổ dân phố"]
ITEM_CONTENT = {
    2: "Đồng chí Bí thư chi bộ thông tin tình hình thời sự trong nước, của tỉnh, huyện; "
    "quán triệt văn bản mới của cấp trên.",
    3: "Chi bộ đọc bài viết về tấm gương người tốt, việc tốt; liên hệ việc học tập và làm theo của đảng viên.",
    4: "Các nhiệm vụ kỳ trước cơ bản hoàn thành; nhiệm vụ chưa xong được chuyển sang tháng này.",
    5: "Đánh giá kết quả tháng trước: hoàn thành thu đảng phí; vận động nhân dân tham gia vệ sinh môi trường "
    "đạt kết quả tốt. Biểu dương đảng viên tích cực; nhắc nhở đảng viên còn chậm nộp đảng phí.",
    6: "Phương hướng tháng tới: tiếp tục thực hiện các tiêu chí nông thôn mới; chuẩn bị tổ chức ngày hội đại đoàn kết.",
}
SPEECHES = [
    "Nhất trí với báo cáo của chi ủy; đề nghị bổ sung nội dung vận động nhân dân tham gia giữ gìn vệ sinh đường làng.",
    "Đề nghị chi bộ quan tâm hơn đến các hộ khó khăn trong thôn, vận động ủng hộ quỹ vì người nghèo.",
    "Tình hình an ninh trật tự ổn định; đề nghị tăng cường tuần tra vào ban đêm dịp cuối năm.",
    "Đề nghị cấp trên sớm hỗ trợ kinh phí sửa chữa tuyến kênh tưới tiêu nội đồng.",
    "Tự phê bình: bản thân còn chậm báo cáo kết quả được phân công, tháng tới sẽ khắc phục.",
    "Góp ý đồng chí phụ trách hội nông dân cần bám sát cơ sở hơn trong vụ đông.",
    "Nhất trí với dự thảo nghị quyết; đề nghị giao cụ thể người phụ trách từng phần việc.",
    "Đề nghị tổ chức học tập chuyên đề bằng hình thức thảo luận nhóm để đảng viên tham gia sôi nổi hơn.",
]
TASKS = [
    "Đôn đốc thu đảng phí đúng hạn",
    "Vận động nhân dân ra quân vệ sinh môi trường",
    "Rà soát hộ nghèo, cận nghèo cuối năm",
    "Chuẩn bị hồ sơ kết nạp quần chúng ưu tú",
    "Tổ chức tuần tra an ninh trật tự dịp lễ",
    "Hoàn thiện hồ sơ nông thôn mới kiểu mẫu",
    "Báo cáo kết quả thực hiện nghị quyết với Đảng ủy xã",
]
RESOLUTIONS = [
    "Chi bộ thống nhất tập trung lãnh đạo hoàn thành các chỉ tiêu kinh tế - xã hội tháng tới; mỗi đảng viên gương mẫu "
    "thực hiện nhiệm vụ được phân công.",
    "Chi bộ thống nhất tiếp tục đẩy mạnh phong trào thi đua, giữ vững an ninh trật tự, chăm lo đời sống nhân dân.",
    "Chi bộ thống nhất triển khai kế hoạch vệ sinh môi trường, hoàn thành thu đảng phí và các khoản đóng góp.",
]
EXCUSE_REASONS = ["Ốm", "Đi công tác", "Gia đình có việc hiếu", "Đi làm ăn xa", "Trực cơ quan"]
POSTPONE_REASONS = ["Trùng lịch họp của Đảng ủy xã", "Mưa bão, ngập úng", "Trùng dịp tổ chức lễ hội truyền thống"]
SUPERIOR_REMARKS = (
    "Đồng chí đại biểu Đảng ủy xã ghi nhận chi bộ chuẩn bị nội dung chu đáo; đề nghị chi bộ tiếp tục nâng cao chất "
    "lượng sinh hoạt, phát huy dân chủ, tăng cường tự phê bình và phê bình."
)
