/** Which language a journey page speaks, how it writes a time, and the countdown's classes. */
import { clockTime, countdownClasses, inWords, languageFromHeader, pageLanguage, timeZoneOr } from '../../node-red/journey-language';
import { cleanCode } from '../../node-red/journey-state';

describe('the page language', () => {
	it('is Hindi for hi and hi-IN, English for anything else we do not speak, a missing or a malformed header', () => {
		expect(languageFromHeader('hi')).toBe('hi');
		expect(languageFromHeader('hi-IN,hi;q=0.9,en;q=0.8')).toBe('hi');
		expect(languageFromHeader('HI-in')).toBe('hi');
		for (const h of ['en-IN,en;q=0.9', 'ta-IN,ta;q=0.9', 'mr', '*', '', undefined, 42, ';;;,,,q=', 'hindi']) expect(languageFromHeader(h)).toBe('en');
	});

	it('honours q-values: the highest quality we speak wins, the header order among equals; q=0 is "not this"', () => {
		expect(languageFromHeader('en;q=0.5, hi;q=0.9')).toBe('hi');
		expect(languageFromHeader('hi;q=0.4, en;q=0.8')).toBe('en');
		expect(languageFromHeader('ta-IN, hi;q=0.7, en;q=0.6')).toBe('hi');
		expect(languageFromHeader('hi;q=0, en')).toBe('en');
		expect(languageFromHeader('hi, en')).toBe('hi');
		expect(languageFromHeader(['en;q=0.1', 'hi-IN'])).toBe('hi');
	});

	it("is the guard's setting, else the public pages', else the browser's", () => {
		expect(pageLanguage('hi', 'en', 'en')).toBe('hi');
		expect(pageLanguage('', 'hi', 'en')).toBe('hi');
		expect(pageLanguage(undefined, 'en', 'hi')).toBe('en');
		expect(pageLanguage('auto', 'en', 'hi')).toBe('hi');
		expect(pageLanguage('', 'auto', 'hi-IN')).toBe('hi');
		expect(pageLanguage('xx', 'yy', 'fr')).toBe('en');
	});
});

describe('times and numbers', () => {
	const at = Date.parse('2026-01-01T08:35:00Z');

	it('are written in Indian Standard Time by default, 24-hour, in both languages', () => {
		expect(clockTime(at, 'en')).toBe('14:05 IST');
		expect(clockTime(at, 'hi')).toBe('14:05 IST');
		expect(clockTime(at, 'en', 'Asia/Dubai')).toMatch(/^12:35 /);
	});

	it('fall back to Asia/Kolkata for a time zone Intl does not know', () => {
		expect(timeZoneOr('Mars/Olympus')).toBe('Asia/Kolkata');
		expect(timeZoneOr('')).toBe('Asia/Kolkata');
		expect(timeZoneOr('Asia/Dubai')).toBe('Asia/Dubai');
	});

	it('say how long in words in either language', () => {
		expect(inWords(45, 'hi')).toBe('45 सेकंड');
		expect(inWords(600, 'hi')).toBe('10 मिनट');
		expect(inWords(600)).toBe('10 minutes');
	});

	it('name the countdown classes of a wait: its whole minutes and seconds; none past 15 minutes or for no wait', () => {
		expect(countdownClasses(197)).toEqual({ minutes: 'cm3', seconds: 'cs17' });
		expect(countdownClasses(59.2)).toEqual({ minutes: 'cm1', seconds: 'cs0' });
		expect(countdownClasses(900)).toEqual({ minutes: 'cm15', seconds: 'cs0' });
		for (const s of [0, -5, 901, NaN]) expect(countdownClasses(s)).toBeUndefined();
	});
});

describe('a pasted code', () => {
	it('loses its spaces, no-break spaces and dashes; anything else is left for the provider to refuse', () => {
		expect(cleanCode(' 123 456 ')).toBe('123456');
		expect(cleanCode('12-34\u00a056')).toBe('123456');
		expect(cleanCode('12a456')).toBe('12a456');
		expect(cleanCode(['1'])).toEqual(['1']);
	});
});
