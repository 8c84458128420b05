import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { apiOpenApi, ogcOpenApi } from '../../src/lib/server/ogc/openapi.ts';

type Doc = ReturnType<typeof apiOpenApi>;

/** Every response example of a document with the schema it belongs to. */
function examples(doc: Doc): { where: string; schema: unknown; example: unknown }[] {
	const out: { where: string; schema: unknown; example: unknown }[] = [];
	for (const [p, ops] of Object.entries(
		doc.paths as Record<
			string,
			Record<
				string,
				{
					responses?: Record<
						string,
						{ content?: Record<string, { schema: unknown; example?: unknown }> }
					>;
				}
			>
		>
	)) {
		for (const [method, op] of Object.entries(ops)) {
			for (const [status, res] of Object.entries(op.responses ?? {})) {
				for (const [type, media] of Object.entries(res.content ?? {})) {
					if (media.example !== undefined)
						out.push({
							where: `${method.toUpperCase()} ${p} ${status} ${type}`,
							schema: media.schema,
							example: media.example
						});
				}
			}
		}
	}
	return out;
}

describe('OpenAPI documents', () => {
	for (const [name, doc] of [
		['/api/openapi.json', apiOpenApi('https://wijkkaart.example')],
		['/ogc/api', ogcOpenApi('https://wijkkaart.example/ogc')]
	] as const) {
		it(`${name} is a valid OpenAPI 3.0 document`, async () => {
			const result = await new Validator().validate(structuredClone(doc) as never);
			expect(result.valid, JSON.stringify(result.errors, null, 1)).toBe(true);
		});

		it(`${name}: every documented example response fits its schema`, () => {
			const ajv = new Ajv({ strict: false, allErrors: true });
			addFormats(ajv);
			ajv.addSchema({ components: doc.components }, 'doc');
			const list = examples(doc as Doc);
			expect(list.length).toBeGreaterThan(10);
			const wrong: string[] = [];
			for (const { where, schema, example } of list) {
				// Refs point into the document; resolve them against the one added above.
				const s = JSON.parse(
					JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/')
				);
				if (!ajv.validate(s, example)) wrong.push(`${where}: ${ajv.errorsText()}`);
			}
			expect(wrong).toEqual([]);
		});
	}

	it('the validator notices an example that does not fit (the check can fail)', () => {
		const doc = apiOpenApi('https://wijkkaart.example');
		const ajv = new Ajv({ strict: false });
		addFormats(ajv);
		ajv.addSchema({ components: doc.components }, 'doc');
		expect(
			ajv.validate(
				{ $ref: 'doc#/components/schemas/ItemPage' },
				{
					type: 'FeatureCollection',
					features: [{ type: 'Feature' }],
					numberReturned: 1,
					next: null
				}
			)
		).toBe(false);
	});
});
