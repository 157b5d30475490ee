// Vietnamese messages of the audit log.
// The source of truth for this feature's keys: ./en.ts is typed against it.
export const vi = {
  'audit.title': 'Nhật ký hệ thống',
  'audit.intro': 'Mọi thao tác thay đổi dữ liệu đều được ghi lại và không thể sửa.',
  'audit.action': 'Hành động',
  'audit.entity': 'Đối tượng',
  'audit.user_id': 'Mã người dùng',
  'audit.from': 'Từ ngày',
  'audit.to': 'Đến ngày',
  'audit.at': 'Thời điểm',
  'audit.user': 'Người thực hiện',
  'audit.summary': 'Nội dung',
  'audit.ip': 'Địa chỉ IP',
  'audit.seq': 'STT',
  'audit.empty': 'Không có bản ghi nào phù hợp.',
  'audit.filter_by_user': 'Lọc theo người này',
};
