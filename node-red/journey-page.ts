/**
 * What every journey page shares, for the flow generator (journeys/node-red.ts) and the guard node alike: its one
 * style block (allowed by hash in the content security policy, so no injected style applies) and its headers.
 */
import { pageHeaders } from '../nodes/core';

export const JOURNEY_STYLE = [
	'body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1b1b1b;background:#fff}',
	'h1{font-size:1.6rem;line-height:1.25}',
	'label{display:block;font-weight:600;margin-top:1.2rem}',
	'.hint{margin:.1rem 0 .3rem;color:#505a5f;font-size:.95rem}',
	'input{font:inherit;width:100%;box-sizing:border-box;padding:.5rem;border:2px solid #505a5f;border-radius:4px}',
	'input:focus,button:focus,a:focus{outline:3px solid #fd0;outline-offset:0}',
	'button{font:inherit;margin-top:1.5rem;padding:.6rem 1.2rem;border:0;border-radius:4px;background:#00703c;color:#fff;cursor:pointer}',
	'.note{padding:.75rem 1rem;border-left:5px solid #1d70b8;background:#f3f8fc}',
	'.problem{border-left-color:#d4351c;background:#fdf4f2}',
	'.trap{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}',
	'footer{margin-top:2.5rem;padding-top:1rem;border-top:1px solid #b1b4b6;color:#505a5f;font-size:.95rem}',
].join('\n');

/** The text of the page's <style> block, exactly as the templates write it (the hash covers every character). */
export const JOURNEY_STYLE_BLOCK = `\n${JOURNEY_STYLE}\n`;

/** The headers of a journey page; a CAPTCHA's origins are allowed only on the page that shows it. */
export function journeyHeaders(widgetOrigins: readonly string[] = []): Record<string, string> {
	return pageHeaders({ styles: [JOURNEY_STYLE_BLOCK], widgetOrigins });
}
