/**
 * How large an area file the staff page accepts: WIJKKAART_IMPORT_MAX_MB (default 10). The
 * request hook refuses a larger upload from its Content-Length, before any body is read.
 */
export function importMaxBytes(env: NodeJS.ProcessEnv = process.env): number {
	const mb = Number(env.WIJKKAART_IMPORT_MAX_MB ?? 10);
	return (Number.isFinite(mb) && mb > 0 ? mb : 10) * 1024 * 1024;
}

export function uploadTooLargeMessage(max = importMaxBytes()): string {
	return `Het bestand is te groot: hoogstens ${Math.round(max / 1024 / 1024)} MB. Importeer grotere bestanden (zoals de landelijke CBS-kaart) met npm run import -- cbs.`;
}

