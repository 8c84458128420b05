import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readUtrechtData, utrechtStreets } from '../../src/lib/server/demo/fixtures-utrecht.ts';
import { SHARED_UTRECHT } from '../helpers/db.ts';

describe('Utrecht fixture street names', () => {
	it('reads the Windows-1252 lichtmasten as the address import does: every name as Python decodes cp1252', () => {
		const streets = new Set(utrechtStreets(readUtrechtData()).map((s) => s.name));
		// Independent reading: Python's cp1252 codec over the raw bytes.
		const script = `import json,sys\nd=json.loads(open(sys.argv[1],'rb').read().decode('cp1252'))\nprint(json.dumps(sorted({(f['properties'].get('STRAAT') or '').strip() for f in d['features'] if (f['properties'].get('STRAAT') or '').strip() and f.get('geometry')})))`;
		const expected: string[] = JSON.parse(
			execFileSync(
				'/usr/bin/python3',
				['-c', script, path.join(SHARED_UTRECHT, 'lichtmasten.geojson')],
				{ encoding: 'utf8', maxBuffer: 1 << 26 }
			)
		);
		expect([...streets].sort()).toEqual(expected);
		expect([...streets].filter((n) => n.includes('\uFFFD'))).toEqual([]);
		expect(streets.has('Thomas à Kempisplantsoen')).toBe(true);
	});
});
