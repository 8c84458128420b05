import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Where a running portal's command channel (channel.ts) can be found: port and secret, mode 0600. */
export const ADMIN_FILE = 'wijkkaart-admin.json';

export interface AdminAddress {
	pid: number;
	port: number;
	secret: string;
}

/** Reads the running portal's channel; null when there is none. EACCES is thrown: another user's server. */
export function readAdminAddress(dataDir: string): AdminAddress | null {
	try {
		const a = JSON.parse(readFileSync(path.join(dataDir, ADMIN_FILE), 'utf8')) as AdminAddress;
		return Number.isInteger(a.pid) && Number.isInteger(a.port) && typeof a.secret === 'string'
			? a
			: null;
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === 'EACCES') throw err;
		return null;
	}
}
