// Lint is a guard rail, not a style guide (prettier owns layout): it fails the suite on import
// cycles, which make module start-up order matter and rules hard to move to one home.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

export default [
	{ ignores: ['build/', '.svelte-kit/', 'node_modules/', 'data/', 'bench/data/', 'tiles/'] },
	{
		files: ['src/**/*.ts', 'scripts/**/*.ts', 'tests/**/*.ts'],
		languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module' },
		plugins: { 'import-x': importX },
		settings: { 'import-x/extensions': ['.ts', '.js'] },
		rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] }
	}
];
