/** The administrative commands by name (their code: commands.ts, loaded only when one runs). */
export const COMMAND_NAMES = [
	'import',
	'user',
	'tiles',
	'export',
	'restore',
	'fixtures:utrecht'
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export function isCommandName(name: unknown): name is CommandName {
	return typeof name === 'string' && (COMMAND_NAMES as readonly string[]).includes(name);
}
