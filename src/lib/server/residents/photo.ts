import { AppError, msg } from '../../domain/errors.ts';
import type { Message } from '../../i18n/localize.ts';
import sharp from 'sharp';

export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
const MAX_SIDE = 2048;

export type PhotoMime = 'image/jpeg' | 'image/png' | 'image/webp';

/** A photo refused (400, or 413 when too large); about the form field `photo`. */
export class PhotoError extends AppError {
	constructor(text: string | Message, status = 400) {
		super(text, { status, field: 'photo' });
	}
}

/** The type by the first bytes of the file; the name and the browser's claim count for nothing. */
export function sniffImage(b: Uint8Array): PhotoMime | null {
	if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
	if (b.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v))
		return 'image/png';
	if (
		b.length >= 12 &&
		String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' &&
		String.fromCharCode(...b.subarray(8, 12)) === 'WEBP'
	) {
		return 'image/webp';
	}
	return null;
}

export interface CleanPhoto {
	mime: PhotoMime;
	bytes: Buffer;
	width: number;
	height: number;
}

/**
 * Re-encodes the photo: orientation applied, at most 2048 px a side, and no metadata at all
 * (sharp drops EXIF, GPS position included, unless asked to keep it).
 */
export async function cleanPhoto(input: Uint8Array): Promise<CleanPhoto> {
	if (input.length > MAX_PHOTO_BYTES)
		throw new PhotoError(msg('errors.photo.tooLarge', { mb: MAX_PHOTO_BYTES / 1024 / 1024 }), 413);
	const mime = sniffImage(input);
	if (!mime) throw new PhotoError(msg('errors.photo.type'));
	try {
		let img = sharp(input, { failOn: 'error' })
			.rotate()
			.resize({ width: MAX_SIDE, height: MAX_SIDE, fit: 'inside', withoutEnlargement: true });
		img =
			mime === 'image/png'
				? img.png()
				: mime === 'image/webp'
					? img.webp({ quality: 82 })
					: img.jpeg({ quality: 82, mozjpeg: true });
		const { data, info } = await img.toBuffer({ resolveWithObject: true });
		return { mime, bytes: data, width: info.width, height: info.height };
	} catch {
		throw new PhotoError(msg('errors.photo.unreadable'));
	}
}
