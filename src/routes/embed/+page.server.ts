import { load as homeLoad } from '../+page.server';
import type { PageServerLoad } from './$types';

// The home map for other sites' pages: the same load, the same filters in the URL (?theme=…,
// ?area=…); only the frame around it differs (+layout.svelte) and who may frame it (http/csp.ts).
export const load: PageServerLoad = (event) =>
	homeLoad(event as unknown as Parameters<typeof homeLoad>[0]);
