import { AppError, msg } from '../../domain/errors.ts';
import { isValidTile } from '../../geo/tiles.ts';

/** z/x/y of a tile route as numbers, or a 400 naming the tile asked for. */
export function tileParams(params: { z: string; x: string; y: string }): [number, number, number] {
	const [z, x, y] = [params.z, params.x, params.y].map((v) =>
		/^\d{1,7}$/.test(v) ? Number(v) : NaN
	);
	if (!isValidTile(z, x, y))
		throw new AppError(msg('errors.tile.invalid', { tile: `${params.z}/${params.x}/${params.y}` }));
	return [z, x, y];
}
