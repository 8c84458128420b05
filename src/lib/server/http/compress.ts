import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';

const gzip = promisify(gzipCb);
const COMPRESSIBLE =
	/^(application\/(json|geo\+json|atom\+xml|xml)|text\/(csv|calendar|html|plain))/;
/** Below this the gzip header and CPU cost more than they save. */
const MIN_BYTES = 1024;

/**
 * Gzip text responses for clients that accept it. adapter-node compresses only prebuilt static
 * files; the API's GeoJSON (thousands of features for a ward) shrinks about tenfold.
 */
export async function compress(request: Request, response: Response): Promise<Response> {
	const type = response.headers.get('content-type') ?? '';
	if (
		request.method === 'HEAD' ||
		!response.body ||
		response.status !== 200 ||
		response.headers.has('content-encoding') ||
		!COMPRESSIBLE.test(type) ||
		!/\bgzip\b/.test(request.headers.get('accept-encoding') ?? '')
	) {
		return response;
	}
	const body = new Uint8Array(await response.arrayBuffer());
	const headers = new Headers(response.headers);
	headers.append('vary', 'Accept-Encoding');
	if (body.byteLength < MIN_BYTES) return new Response(body, { status: response.status, headers });
	const zipped = await gzip(body);
	headers.set('content-encoding', 'gzip');
	headers.set('content-length', String(zipped.byteLength));
	return new Response(zipped, { status: response.status, headers });
}
