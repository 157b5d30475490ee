// Vietnamese messages of the home page.
// The source of truth for this feature's keys: ./en.ts is typed against it.
export const vi = {
  'home.greeting': 'Xin chào, {name}!',
  'home.intro': 'Đây là các chức năng dành cho vai trò của bạn.',
  'home.commune': 'Xã',
  'home.role': 'Vai trò',
  'home.unit': 'Đơn vị',
  'home.authority': 'Cơ quan',
  'home.no_commune': 'Không gắn với xã cụ thể',
  'home.modules': 'Chức năng',
  'home.soon': 'Sắp có',
  'home.open': 'Mở',
  'home.about_you': 'Thông tin của bạn',
};
