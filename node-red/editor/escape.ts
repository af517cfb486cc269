/** Escaping for the generated editor file: text inside HTML, and data inside a <script> block. */

export function html(text: unknown): string {
	return String(text ?? '')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

/** A JSON literal that is safe inside <script>: no "</script>", no "<!--", no JS-breaking line separators. */
export function js(value: unknown): string {
	return JSON.stringify(value)
		.replace(/</g, '\\u003c')
		.replace(/>/g, '\\u003e')
		.replace(/&/g, '\\u0026')
		.replace(/\u2028/g, '\\u2028')
		.replace(/\u2029/g, '\\u2029');
}

/** Turns `code` spans in core texts (status meanings) into <code>. */
export function withCode(text: string): string {
	return html(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}
