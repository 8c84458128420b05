import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const ROUTES = path.resolve(import.meta.dirname, '../../src/routes');

/**
 * The route table, read from src/routes: route id → the endpoints its files declare, as
 * 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' (+server.ts methods, a page's GET) and
 * `POST ?/name` (form actions, 'default' included), with the route's server source.
 */
export function routeTable(): Map<string, { endpoints: string[]; source: string }> {
	const table = new Map<string, { endpoints: string[]; source: string }>();
	const files = readdirSync(ROUTES, { recursive: true, encoding: 'utf8' }).filter((f) =>
		/(^|\/)\+(page\.svelte|page\.server\.ts|server\.ts)$/.test(f)
	);
	for (const dir of new Set(files.map((f) => path.dirname(f)))) {
		const id = dir === '.' ? '/' : '/' + dir.split(path.sep).join('/');
		const endpoints: string[] = [];
		let source = '';
		const server = path.join(ROUTES, dir, '+server.ts');
		const page = path.join(ROUTES, dir, '+page.server.ts');
		if (existsSync(server)) {
			source += readFileSync(server, 'utf8');
			for (const m of source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g))
				endpoints.push(m[1]);
		}
		if (existsSync(path.join(ROUTES, dir, '+page.svelte'))) endpoints.push('GET');
		if (existsSync(page)) {
			const text = readFileSync(page, 'utf8');
			source += text;
			const block = /export const actions[^=]*=\s*\{([\s\S]*)\n\};/.exec(text)?.[1] ?? '';
			for (const m of block.matchAll(/^\t(?:\/\*\*[^\n]*\*\/\s*)?(\w+):/gm))
				endpoints.push(`POST ?/${m[1]}`);
		}
		table.set(id, { endpoints: [...new Set(endpoints)], source });
	}
	return table;
}

/** Every endpoint of the route table that can write: anything but GET, as "route endpoint". */
export function writeEndpoints(): string[] {
	return [...routeTable()]
		.flatMap(([route, { endpoints }]) =>
			endpoints.filter((e) => e !== 'GET').map((e) => `${route} ${e}`)
		)
		.sort();
}
