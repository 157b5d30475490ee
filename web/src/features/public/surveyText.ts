// Texts of the citizen's survey page (/khao-sat/{token}), which loads as a chunk of its own: kept
// here, out of the citizen entry's first load and its 25 KB JS budget (as ./petitionText.ts).
import { interpolate } from '../../i18n/interpolate';
import { publicLang } from './i18n.svelte';

const vi = {
  title: 'Đánh giá sự hài lòng',
  loading: 'Đang tải phiếu…',
  missing: 'Phiếu khảo sát không tồn tại hoặc đã kết thúc.',
  about: 'Về hồ sơ: {name}',
  required: 'Vui lòng trả lời câu này.',
  required_mark: 'bắt buộc',
  fix: 'Vui lòng xem lại các câu được đánh dấu.',
  send: 'Gửi đánh giá',
  sending: 'Đang gửi…',
  thanks_title: 'Cảm ơn Ông/Bà!',
  thanks: 'Ý kiến của Ông/Bà đã được ghi nhận và giúp Ủy ban nhân dân xã phục vụ tốt hơn.',
  already: 'Hồ sơ này đã được đánh giá trước đây; mỗi hồ sơ được đánh giá một lần.',
};
/** English: exactly the keys of the Vietnamese (the type says so). */
const en: Record<keyof typeof vi, string> = {
  title: 'Satisfaction survey',
  loading: 'Loading the form…',
  missing: 'This survey does not exist or has ended.',
  about: 'About the dossier: {name}',
  required: 'Please answer this question.',
  required_mark: 'required',
  fix: 'Please check the marked questions.',
  send: 'Send',
  sending: 'Sending…',
  thanks_title: 'Thank you!',
  thanks: 'Your answer has been recorded and helps the commune serve people better.',
  already: 'This dossier was rated before; each dossier is rated once.',
};
export type SurveyTextKey = keyof typeof vi;

/** A text of the survey page in the citizen's language, with {placeholders} filled. */
export function st(key: SurveyTextKey, params?: Record<string, string>): string {
  return interpolate((publicLang.lang === 'en' ? en : vi)[key], params);
}
