/**
 * The languages the public pages speak (English is the fallback), and the one a browser asks for: its
 * Accept-Language, q-values honoured; `hi`, `hi-IN` → Hindi; `*`, nothing we speak or a malformed header → English.
 */
export const LANGUAGES = ['en', 'hi'] as const;
export type Language = (typeof LANGUAGES)[number];

export const isLanguage = (v: unknown): v is Language => typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);

export function languageFromHeader(header: unknown): Language {
	const text = Array.isArray(header) ? header.join(',') : typeof header === 'string' ? header : '';
	const ranges = text
		.slice(0, 1000)
		.split(',')
		.map((part, order) => {
			const [range, ...params] = part.trim().split(';');
			const q = params.map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p)).find(Boolean);
			return { tag: range.trim().toLowerCase(), q: q ? Number(q[1]) : 1, order };
		})
		.filter((r) => r.tag !== '' && r.q > 0)
		.sort((a, b) => b.q - a.q || a.order - b.order);
	for (const { tag } of ranges) {
		const primary = tag.split('-')[0];
		if (isLanguage(primary)) return primary;
		if (tag === '*') return 'en';
	}
	return 'en';
}
