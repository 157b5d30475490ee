import { fitWithin, jpegName } from './logic';

export const MAX_SIDE = 1600;
export const JPEG_QUALITY = 0.8;

async function decode(file: Blob): Promise<ImageBitmap | HTMLImageElement> {
  if (typeof createImageBitmap === 'function') {
    try {
      // Honour the camera's EXIF orientation, so a portrait photo stays upright.
      return await createImageBitmap(file, { imageOrientation: 'from-image' });
    } catch {
      // Older engines reject the options bag; the <img> path below handles them.
    }
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.decoding = 'async';
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

function encode(canvas: HTMLCanvasElement, quality: number): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('toBlob failed'))), 'image/jpeg', quality),
  );
}

/**
 * Shrinks a photo before upload so a report goes through on weak 3G: long side ≤ 1600 px,
 * re-encoded as JPEG (which also drops EXIF, GPS included). Files that are not images (PDF) and
 * images the browser cannot decode are returned unchanged; the server still checks every file.
 */
export async function shrinkPhoto(file: File, max = MAX_SIDE, quality = JPEG_QUALITY): Promise<File> {
  if (!file.type.startsWith('image/')) return file;
  let img: ImageBitmap | HTMLImageElement;
  try {
    img = await decode(file);
  } catch {
    return file;
  }
  const w = 'naturalWidth' in img ? img.naturalWidth : img.width;
  const h = 'naturalHeight' in img ? img.naturalHeight : img.height;
  const size = fitWithin(w, h, max);
  if (size.width === 0) return file;
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return file;
  // A white ground, so a transparent PNG does not turn black as JPEG.
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, size.width, size.height);
  ctx.drawImage(img, 0, 0, size.width, size.height);
  if ('close' in img) img.close();
  let blob: Blob;
  try {
    blob = await encode(canvas, quality);
  } catch {
    return file;
  }
  return new File([blob], jpegName(file.name), { type: 'image/jpeg', lastModified: Date.now() });
}
