/**
 * Whether a node parameter's stored value holds an n8n expression anywhere inside it. n8n stores
 * an expression as a string that starts with "="; a value without one reads the same for every item.
 */
export function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (typeof value === 'object' && value !== null) return Object.values(value).some(holdsExpression);
	return false;
}

/** Freezes a value and everything inside it, so that one read shared by all items cannot be changed by one of them. */
export function deepFreeze<T>(value: T): T {
	if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
		Object.freeze(value);
		for (const inner of Object.values(value)) deepFreeze(inner);
	}
	return value;
}
