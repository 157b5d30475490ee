// Vietnamese messages of the plan roll-over (the next year's plan). The source of truth: ./en.ts is typed against it.
export const vi = {
  'rollover.button': 'Lập kế hoạch năm sau',
  'rollover.title': 'Lập kế hoạch năm {year} từ kế hoạch này',
  'rollover.intro': 'Sao chép nội dung, các bước và nhiệm vụ (đơn vị, trọng số) sang một dự thảo năm mới; ngày được lùi một năm và dời khỏi ngày nghỉ. Tiến độ và báo cáo ở lại kế hoạch cũ; kế hoạch cũ chuyển sang kết thúc và chỉ để xem.',
  'rollover.year': 'Năm của kế hoạch mới',
  'rollover.carry': 'Chuyển tiếp nhiệm vụ chưa hoàn thành',
  'rollover.carry_hint': 'Nhiệm vụ được chọn sẽ ghi rõ là tiếp tục nhiệm vụ năm trước và liên kết với nó.',
  'rollover.none_open': 'Mọi nhiệm vụ đã hoàn thành.',
  'rollover.select_all': 'Chọn tất cả',
  'rollover.submit': 'Tạo dự thảo năm {year}',
  'rollover.cancel': 'Hủy',
  'rollover.done': 'Đã tạo dự thảo kế hoạch năm {year}.',
  'rollover.rolled_into': 'Kế hoạch này đã được chuyển sang năm sau — chỉ còn để xem.',
  'rollover.open_next': 'Mở kế hoạch năm sau',
  'rollover.rolled_from': 'Lập từ kế hoạch năm trước.',
  'rollover.open_previous': 'Xem kế hoạch năm trước',
  'rollover.progress': '{progress}%',
};
