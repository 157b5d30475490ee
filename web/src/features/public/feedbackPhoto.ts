// A citizen's feedback with a photo: the photo is shrunk on the phone first (long side ≤ 1600 px,
// JPEG, EXIF and GPS dropped — plans' image.ts), then sent as one multipart form.
import { ApiError, parseError } from '../../lib/api/client';
import { shrinkPhoto } from '../plans/image';

/** Photo types the server takes (it checks the content too). */
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

export function isPhoto(file: File): boolean {
  return PHOTO_TYPES.includes(file.type) || /\.(jpe?g|png|webp|heic|heif)$/i.test(file.name);
}

export async function sendFeedbackWithPhoto(
  body: { kind: string; subject: string; content: string; name: string; phone: string },
  photo: File,
  commune = 'default',
): Promise<{ code: string }> {
  const small = await shrinkPhoto(photo);
  const form = new FormData();
  for (const [k, v] of Object.entries(body)) form.append(k, v);
  form.append('photo', small, small.name);
  let res: Response;
  try {
    res = await fetch(`/api/v1/public/communes/${encodeURIComponent(commune)}/petitions/with-photo`, {
      method: 'POST',
      headers: { Accept: 'application/json' },
      credentials: 'omit',
      body: form,
    });
  } catch (e) {
    throw new ApiError({ status: 0, code: 'network', detail: e instanceof Error ? e.message : String(e) });
  }
  if (!res.ok) throw await parseError(res);
  return (await res.json()) as { code: string };
}
