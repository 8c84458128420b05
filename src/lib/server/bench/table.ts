import { sizeLabel } from './goals.ts';
import type { BenchResult, Goal, SizeResult } from './results.ts';
import { round } from './stats.ts';

const nl = (n: number) => n.toLocaleString('nl-NL');
const pair = (t: { p50: number; p95: number } | null) => (t ? `${t.p50} / ${t.p95}` : '–');
const yes = (ok: boolean) => (ok ? 'ja' : 'nee');

/** The printed results: one Markdown table per question, then the goals with their verdict. */
export function formatTable(r: BenchResult): string {
	const smallest = (x: SizeResult) => r.results.find((y) => y.store === x.store)!;
	const rows = [
		'| store | meldingen | items | erbij maken / schrijven (ms) | SELECT 1 p50 | bbox+thema p50 / p95 (ms) | wijk p50 / p95 (ms) | HTTP bbox+thema p50 / p95 (ms) | p95 / p95 kleinste: bbox, wijk | ≤ 2× |',
		'|---|---|---|---|---|---|---|---|---|---|'
	];
	for (const x of r.results) {
		const s = smallest(x);
		const [b, w] = [
			round(x.bboxTheme.p95 / s.bboxTheme.p95),
			round(x.areaWijk.p95 / s.areaWijk.p95)
		];
		rows.push(
			`| ${x.store} | ${nl(x.meldingen)} | ${nl(x.items)} | ${x.generateMs} / ${x.loadMs} | ${x.baselineSelect1.p50} | ${pair(x.bboxTheme)} | ${pair(x.areaWijk)} | ${pair(x.httpBboxTheme)} | ${b}× / ${w}× | ${yes(b <= 2 && w <= 2)} |`
		);
	}
	rows.push(
		'',
		'| store | meldingen | tegel stad z12 p50 / p95 (ms) | tegel straat z14 p50 / p95 (ms) | HTTP tegel p50 / p95 (ms) | z12 p95 / kleinste | max p95 ≤ 50 ms |',
		'|---|---|---|---|---|---|---|'
	);
	for (const x of r.results) {
		const worst = Math.max(x.tileCity.p95, x.tileStreet.p95);
		rows.push(
			`| ${x.store} | ${nl(x.meldingen)} | ${pair(x.tileCity)} | ${pair(x.tileStreet)} | ${pair(x.httpTile)} | ${round(x.tileCity.p95 / smallest(x).tileCity.p95)}× | ${yes(worst <= 50)} |`
		);
	}
	rows.push(
		'',
		'| store | meldingen | choropleth per buurt p50 / p95 (ms, runs) | clusters DBSCAN p50 / p95 (ms, runs) | clusters | begrensd |',
		'|---|---|---|---|---|---|'
	);
	for (const x of r.results) {
		const c = x.clusters;
		rows.push(
			`| ${x.store} | ${nl(x.meldingen)} | ${pair(x.choropleth)} (${x.choropleth.runs}) | ${c ? `${pair(c)} (${c.runs})` : '–'} | ${c?.found ?? '–'} | ${x.capped.join('; ') || '–'} |`
		);
	}
	const browsed = r.results.filter((x) => x.browser);
	if (browsed.length) {
		rows.push(
			'',
			'| store | meldingen | eerste idle portaal / naïef (ms) | verhouding | filter → idle mediaan portaal / naïef (ms) | verhouding |',
			'|---|---|---|---|---|---|'
		);
		for (const x of browsed) {
			const b = x.browser!;
			rows.push(
				`| ${x.store} | ${nl(x.meldingen)} | ${b.firstIdle} / ${b.baselineFirstIdle ?? '–'} | ${versus(b.firstIdle, b.baselineFirstIdle)} | ${b.filterIdleMedian} / ${b.baselineFilterIdleMedian ?? '–'} | ${versus(b.filterIdleMedian, b.baselineFilterIdleMedian)} |`
			);
		}
	}
	const loaded = r.results.filter((x) => x.load);
	if (loaded.length) {
		rows.push(
			'',
			'| store | meldingen | belasting /api/items req/s, p99, fouten | belasting tegels req/s, p99, fouten |',
			'|---|---|---|---|'
		);
		for (const x of loaded) {
			const l = x.load!;
			rows.push(
				`| ${x.store} | ${nl(x.meldingen)} | ${l.items.perSec}, ${l.items.p99} ms, ${l.items.errors} van ${l.items.requests} | ${l.tiles.perSec}, ${l.tiles.p99} ms, ${l.tiles.errors} van ${l.tiles.requests} |`
			);
		}
	}
	if (r.bundle)
		rows.push(
			`\nJavaScript van de startpagina, gzip: eigen code ${Math.round(r.bundle.appGzip / 1024)} kB, MapLibre ${Math.round(r.bundle.maplibreGzip / 1024)} kB`
		);
	rows.push('');
	for (const a of r.areaAssignment) {
		rows.push(
			`gebiedstoewijzing (${a.store}, ${nl(a.points)} punten): index in geheugen ${nl(a.indexPerSec)}/s (${round(a.indexPerSec / a.naivePerSec)}× de naïeve lus), PostGIS-join ${nl(a.postgisPerSec)}/s (${round(a.postgisPerSec / a.naivePerSec)}×), naïeve lus ${nl(a.naivePerSec)}/s`
		);
	}
	for (const t of r.tiles) {
		rows.push(
			`gebiedstegels Utrecht (${t.store}): ${t.utrechtMs} ms, ${t.tiles} tegels, ${Math.round(t.bytes / 1024)} kB`
		);
		const n = t.national;
		if (n) {
			rows.push(
				`gebiedstegels nationaal (${t.store}): ${nl(n.gemeenten)} gemeenten, ${nl(n.wijken)} wijken, ${nl(n.buurten)} buurten: maken ${n.generateMs} ms, import ${n.importMs} ms, tegels ${n.buildMs} ms (${nl(n.tiles)} tegels, ${Math.round(n.bytes / 1024 / 1024)} MB)`
			);
		}
	}
	rows.push(
		`genereren ${sizeLabel(r.generation.meldingen)} meldingen + ${sizeLabel(r.generation.others)} andere items (in stukken, geheugen): ${r.generation.ms} ms`
	);
	rows.push(`totale duur: ${Math.round(r.wallMs / 1000)} s`);
	rows.push('', '| doel | store | gemeten | grens | gehaald |', '|---|---|---|---|---|');
	for (const g of r.goals)
		rows.push(
			`| ${g.goal} | ${g.store ?? '–'} | ${measured(g)} | ${g.kind === 'max' ? '≤' : '≥'} ${nl(g.limit)} ${g.unit} | ${g.met === null ? 'niet gemeten' : yes(g.met)} |`
		);
	return rows.join('\n');
}

function versus(portal: number, naive: number | null): string {
	return naive === null ? 'naïeve pagina haalde het niet' : `${round(portal / naive)}×`;
}

function measured(g: Goal): string {
	return g.measured === null ? '–' : `${nl(g.measured)} ${g.unit}`;
}
