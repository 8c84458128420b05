/**
 * The placeholder of a value in a query built in parts: pushes it onto `params` and answers
 * `$n`, its position. Parts built by different functions share one array, so their numbers
 * never collide; every query that adds conditions one by one names its values through this.
 */
export function placeholders(params: unknown[]): (value: unknown) => string {
	return (value) => `$${params.push(value)}`;
}
