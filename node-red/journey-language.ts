/**
 * Which language a journey page speaks and how it writes a time: the visitor's Accept-Language (q-values honoured)
 * unless the public pages or the journey's guard fix one; times in Indian Standard Time unless a time zone is set.
 */
import { isLanguage, LANGUAGES, languageFromHeader, type Language } from '../nodes/core/language';

export { languageFromHeader };

export const DEFAULT_TIME_ZONE = 'Asia/Kolkata';
/** The page-language settings: auto follows the browser; '' on a guard means "as its public pages say". */
export const LANGUAGE_SETTINGS = ['auto', ...LANGUAGES] as const;

const LOCALES: Readonly<Record<Language, string>> = { en: 'en-IN', hi: 'hi-IN' };

/** The page's language: a guard's own setting, else the public pages', else (auto) the browser's. */
export function pageLanguage(guardSetting: unknown, pagesSetting: unknown, acceptLanguage: unknown): Language {
	if (isLanguage(guardSetting)) return guardSetting;
	if (guardSetting !== 'auto' && isLanguage(pagesSetting)) return pagesSetting;
	return languageFromHeader(acceptLanguage);
}

/** A time zone Intl knows, else the default (a typo in the settings must not break every page). */
export function timeZoneOr(zone: unknown): string {
	const z = typeof zone === 'string' ? zone.trim() : '';
	if (z === '') return DEFAULT_TIME_ZONE;
	try {
		new Intl.DateTimeFormat('en', { timeZone: z });
		return z;
	} catch {
		return DEFAULT_TIME_ZONE;
	}
}

/** "14:05 IST": the clock time in the zone, 24-hour as Indian timetables and banks print it. */
export function clockTime(ms: number, language: Language, timeZone = DEFAULT_TIME_ZONE): string {
	return new Intl.DateTimeFormat(LOCALES[language], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone, timeZoneName: 'short' }).format(
		new Date(ms),
	);
}

/** A number as Indian pages write it (12,34,567). */
export const indianNumber = (n: number, language: Language) => new Intl.NumberFormat(LOCALES[language]).format(n);

/** How long until, in words a page can show: "45 seconds", "4 minutes"; Hindi: "45 सेकंड", "4 मिनट". */
export function inWords(seconds: number, language: Language = 'en'): string {
	const minutes = Math.ceil(seconds / 60);
	if (language === 'hi') return seconds < 90 ? `${indianNumber(seconds, language)} सेकंड` : `${indianNumber(minutes, language)} मिनट`;
	if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
	return `${indianNumber(minutes, language)} minutes`;
}

/** The longest wait a page counts down by style alone (longer ones show only their clock time). */
export const COUNTDOWN_MAX_MINUTES = 15;

/**
 * The class names of a script-free countdown of `seconds` (journey-page.ts's style runs it): the minutes and the
 * seconds of the wait, each a small fixed set, so the style stays one block allowed by its hash.
 */
export function countdownClasses(seconds: number): { minutes: string; seconds: string } | undefined {
	const s = Math.ceil(seconds);
	if (!(s > 0) || s > COUNTDOWN_MAX_MINUTES * 60) return undefined;
	return { minutes: `cm${Math.floor(s / 60)}`, seconds: `cs${s % 60}` };
}
