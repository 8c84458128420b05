import type { RequestHandler } from './$types';
import { storeFor } from '$lib/server/http/json';
import { handleSubmit } from '$lib/server/residents/submit-http';

/** POST /api/meldingen — a resident's melding (multipart with optional photo, or JSON). */
export const POST: RequestHandler = async (event) =>
	handleSubmit(await storeFor(event), event, 'melding');
