// Texts and calls of the petition parts of the citizen pages that load lazily (the photo on
// /phan-anh, the answered list): kept here, out of the citizen entry's first load (its JS budget).
import { ApiError, parseError } from '../../lib/api/client';
import type { AnswerOf } from '../../lib/api/typed';
import { publicLang } from './i18n.svelte';

const vi = {
  answered_title: 'Phản ánh, kiến nghị đã được trả lời',
  answered_intro: 'Câu trả lời của UBND xã cho các phản ánh, kiến nghị của người dân. Không hiển thị thông tin cá nhân.',
  answered_empty: 'Chưa có phản ánh, kiến nghị nào được trả lời công khai.',
  answered_on: 'Trả lời ngày {date}',
  answered_more: 'Xem thêm',
  answered_link: 'Xem các phản ánh đã được trả lời',
  track: 'Tra cứu tình trạng phản ánh',
  kind_feedback: 'Phản ánh',
  kind_recommendation: 'Kiến nghị',
  photo: 'Ảnh (không bắt buộc)',
  photo_hint: 'Ảnh được thu nhỏ trên điện thoại trước khi gửi.',
  photo_bad: 'Chỉ gửi được ảnh JPEG, PNG hoặc WebP.',
  back: 'Gửi phản ánh, kiến nghị',
  error: 'Đã có lỗi xảy ra. Vui lòng thử lại sau.',
  required_subject: 'Vui lòng nhập tiêu đề.',
  required_content: 'Vui lòng nhập nội dung phản ánh, kiến nghị.',
  required_name: 'Vui lòng nhập họ và tên.',
  required_phone: 'Vui lòng nhập số điện thoại để nhận trả lời.',
  too_short: 'Cần ít nhất {min} ký tự.',
  too_long: 'Tối đa {max} ký tự; hiện có {n} ký tự. Vui lòng rút gọn.',
  bad_chars: 'Có ký tự không hợp lệ. Vui lòng xóa rồi nhập lại.',
  bad_phone: 'Số điện thoại gồm 9–12 chữ số.',
  draft_restored: 'Đã khôi phục nội dung bạn nhập dở. Ảnh (nếu có) cần chọn lại.',
  bad_other: 'Vui lòng kiểm tra lại các ô đã nhập.',
  photo_not_image: 'Tệp đã chọn không phải ảnh. Chọn ảnh khác hoặc bỏ tệp này trước khi gửi.',
  photo_remove: 'Bỏ tệp này',
  photo_too_large: 'Ảnh quá lớn. Chọn ảnh nhỏ hơn hoặc chụp lại.',
  send_limited: 'Đã gửi nhiều lần từ mạng này trong thời gian ngắn. Vui lòng thử lại sau {minutes} phút.',
  sending: 'Đang gửi…',
  recent: 'Mã phản ánh đã gửi từ máy này (giữ để tra cứu):',
};
const en: Record<keyof typeof vi, string> = {
  answered_title: 'Answered feedback',
  answered_intro: "The commune's answers to citizens' feedback and recommendations. No personal data is shown.",
  answered_empty: 'No feedback has been answered publicly yet.',
  answered_on: 'Answered on {date}',
  answered_more: 'Show more',
  answered_link: 'See answered feedback',
  track: 'Track this feedback',
  kind_feedback: 'Feedback',
  kind_recommendation: 'Recommendation',
  photo: 'Photo (optional)',
  photo_hint: 'The photo is shrunk on the phone before it is sent.',
  photo_bad: 'Only JPEG, PNG or WebP photos can be sent.',
  back: 'Send feedback or a recommendation',
  error: 'Something went wrong. Please try again later.',
  required_subject: 'Please enter a title.',
  required_content: 'Please enter your feedback or recommendation.',
  required_name: 'Please enter your full name.',
  required_phone: 'Please enter a phone number for the answer.',
  too_short: 'At least {min} characters are needed.',
  too_long: 'At most {max} characters; there are {n} now. Please shorten it.',
  bad_chars: 'There are characters that cannot be sent. Please delete and type them again.',
  bad_phone: 'A phone number has 9 to 12 digits.',
  draft_restored: 'What you had typed is back. Choose the photo again, if any.',
  bad_other: 'Please check what you entered.',
  photo_not_image: 'The chosen file is not a photo. Choose another photo or remove this file before sending.',
  photo_remove: 'Remove this file',
  photo_too_large: 'The photo is too large. Choose a smaller one or take it again.',
  send_limited: 'Too many sends from this network in a short time. Please try again in {minutes} minutes.',
  sending: 'Sending…',
  recent: 'Codes of feedback sent from this device (keep them to look it up):',
};
export type PetitionTextKey = keyof typeof vi;

const SENT_KEY = 'tt-feedback-sent';
const KEEP_DAYS = 60;

/**
 * The tracking codes of feedback sent from this device, newest first (at most 5, for 60 days):
 * the code is what a citizen needs to look their feedback up, and a reload must not lose it. A
 * code alone reads nothing — the lookup also asks for the phone's last digits.
 */
export function sentCodes(now = Date.now()): string[] {
  try {
    const kept = JSON.parse(localStorage.getItem(SENT_KEY) ?? '[]') as { code: string; at: number }[];
    return kept.filter((k) => typeof k.code === 'string' && now - k.at < KEEP_DAYS * 86_400_000).map((k) => k.code);
  } catch {
    return [];
  }
}

/** Keeps a code just received (see [`sentCodes`]). */
export function keepSentCode(code: string, now = Date.now()): void {
  try {
    const kept = (JSON.parse(localStorage.getItem(SENT_KEY) ?? '[]') as { code: string; at: number }[]).filter((k) => k.code !== code);
    localStorage.setItem(SENT_KEY, JSON.stringify([{ code, at: now }, ...kept].slice(0, 5)));
  } catch {
    // No storage (a private window): the code is still on the screen.
  }
}

/** A text in the citizen's language, with {placeholders} filled. */
export function ptx(key: PetitionTextKey, params: Record<string, string> = {}): string {
  const template = (publicLang.lang === 'en' ? en : vi)[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}

/** Exactly the same keys in both languages (checked by a test). */
export const petitionTexts = { vi, en };

type Answered = AnswerOf<'/public/communes/{code}/petitions/answered', 'get'>;

/** The answers a commune published to feedback and recommendations (no personal data), 20 a page. */
export async function publicAnswered(page = 1, commune = 'default'): Promise<Answered> {
  let res: Response;
  try {
    res = await fetch(`/api/v1/public/communes/${encodeURIComponent(commune)}/petitions/answered?page=${page}&per_page=20`, {
      headers: { Accept: 'application/json' },
      credentials: 'omit',
    });
  } catch (e) {
    throw new ApiError({ status: 0, code: 'network', detail: e instanceof Error ? e.message : String(e) });
  }
  if (!res.ok) throw await parseError(res);
  return (await res.json()) as Answered;
}
