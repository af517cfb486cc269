/**
 * What every journey page shares, for the flow generator (journeys/node-red.ts) and the guard node alike: its one
 * style block (allowed by hash in the content security policy, so no injected style applies) and its headers.
 */
import { pageHeaders } from '../nodes/core';
import { COUNTDOWN_MAX_MINUTES } from './journey-language';

/**
 * A countdown without script: two registered integer properties, animated in steps, shown by CSS counters. The guard
 * names the wait's minutes (cmM: the minute keyframes, and how many times the seconds turn over) and seconds (csS: when
 * the seconds start and when the minutes step), so the style stays one fixed block, allowed by its hash.
 */
function countdownStyle(): string[] {
	const rules = [
		"@property --cm{syntax:'<integer>';inherits:false;initial-value:0}",
		"@property --cs{syntax:'<integer>';inherits:false;initial-value:0}",
		'@keyframes cs{from{--cs:59}to{--cs:-1}}',
		'.countdown .mm{counter-reset:cm var(--cm);animation-fill-mode:both}',
		'.countdown .mm::after{content:counter(cm)}',
		'.countdown .ss{counter-reset:cs var(--cs);animation:cs 60s steps(60) both}',
		'.countdown .ss::after{content:counter(cs,decimal-leading-zero)}',
		'@media (prefers-reduced-motion:reduce){.countdown{display:none}}',
	];
	for (let m = 0; m <= COUNTDOWN_MAX_MINUTES; m++) {
		const turns = Number(((m * 60 + 59) / 60).toFixed(4));
		if (m > 0)
			rules.push(
				`@keyframes cm${m}{from{--cm:${m}}to{--cm:0}}`,
				`.cm${m} .mm{animation-name:cm${m};animation-duration:${m * 60}s;animation-timing-function:steps(${m},start)}`,
			);
		rules.push(`.cm${m} .ss{animation-iteration-count:${turns}}`);
	}
	for (let s = 0; s < 60; s++) rules.push(`.cs${s} .ss{animation-delay:${s - 59}s}.cs${s} .mm{animation-delay:${s + 1}s}`);
	return rules;
}

export const JOURNEY_STYLE = [
	'body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Devanagari","Lohit Devanagari",sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1b1b1b;background:#fff;overflow-wrap:anywhere}',
	'h1{font-size:1.6rem;line-height:1.25}',
	'label{display:block;font-weight:600;margin-top:1.2rem}',
	'.hint{margin:.1rem 0 .3rem;color:#505a5f;font-size:.95rem}',
	// Touch targets of at least 44 px, on a phone as on a desk.
	'input{font:inherit;width:100%;min-height:2.75rem;box-sizing:border-box;padding:.5rem;border:2px solid #505a5f;border-radius:4px}',
	'input[aria-invalid=true]{border-color:#d4351c;border-width:3px}',
	'input:focus,button:focus,a:focus,.problem:focus{outline:3px solid #fd0;outline-offset:0;box-shadow:0 0 0 5px #0b0c0c}',
	'button{font:inherit;min-height:2.75rem;margin-top:1.5rem;padding:.6rem 1.2rem;border:0;border-radius:4px;background:#00703c;color:#fff;cursor:pointer}',
	'footer a,a.action{display:inline-block;min-height:2.75rem;padding:.6rem 0;box-sizing:border-box}',
	'a{color:#1d70b8}',
	'.note{padding:.75rem 1rem;border-left:5px solid #1d70b8;background:#f3f8fc}',
	'.problem{border-left-color:#d4351c;background:#fdf4f2}',
	'.trap{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}',
	'footer{margin-top:2.5rem;padding-top:1rem;border-top:1px solid #b1b4b6;color:#505a5f;font-size:.95rem}',
	...countdownStyle(),
].join('\n');

/** The text of the page's <style> block, exactly as the templates write it (the hash covers every character). */
export const JOURNEY_STYLE_BLOCK = `\n${JOURNEY_STYLE}\n`;

/** The headers of a journey page; a CAPTCHA's origins are allowed only on the page that shows it. */
export function journeyHeaders(widgetOrigins: readonly string[] = []): Record<string, string> {
	return pageHeaders({ styles: [JOURNEY_STYLE_BLOCK], widgetOrigins });
}
