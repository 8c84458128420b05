import type { RequestHandler } from './$types';
import { storeFor } from '$lib/server/http/json';
import { handleSubmit } from '$lib/server/residents/submit-http';

/** POST /api/initiatieven — a resident's initiative proposal (JSON or form). */
export const POST: RequestHandler = async (event) =>
	handleSubmit(await storeFor(event), event, 'initiatief');
