/**
 * Browser code shared by every node of one provider file: validators and edit-dialog setup that the generated
 * registerType definitions (object literals, see definitions.ts) call. Written and type-checked here as ordinary
 * functions; the editor HTML carries their compiled source (`Function.prototype.toString`), wrapped in an IIFE so
 * nothing leaks into the editor's globals. They may use only each other, STATIC and the editor's jQuery.
 */
import type { ClientCredentialField, ClientField } from './data';

/** The part of jQuery and Node-RED's typedInput widget the dialogs use. */
interface EditorElement {
	length: number;
	typedInput(options: { default: string; typeField: string; types: unknown[] }): void;
	typedInput(what: 'type' | 'value'): string;
	val(): string;
	closest(selector: string): EditorElement;
	toggle(show: boolean): void;
	on(event: string, handler: () => void): void;
	prop(name: string, value: boolean): void;
	text(value: string): void;
	css(name: string, value: string): void;
}
/** The part of jQuery's ajax the Test button uses (the editor adds its own auth headers to every call). */
interface Ajax {
	done(fn: (answer: unknown) => void): Ajax;
	fail(fn: (xhr: { status: number }) => void): Ajax;
	always(fn: () => void): Ajax;
}
declare const $: ((selector: string) => EditorElement) & {
	ajax(options: { url: string; type: string; contentType: string; dataType: string; data: string; timeout: number }): Ajax;
};

/** A node's properties as the dialog holds them while it validates (`this` of a validator). */
type NodeProperties = Record<string, unknown>;
type Condition = { field: string; equals: ReadonlyArray<string | number | boolean> };
type Validator = (this: NodeProperties, v: unknown) => true | string;

/** typedInput types whose value is fixed in the editor, not read at run time. */
const STATIC = ['str', 'num', 'bool', 'option'];

function isEmpty(v: unknown): boolean {
	return v === undefined || v === null || String(v).trim() === '';
}

/** true/false when the controlling field has a fixed value, undefined when it is read at run time. */
function holds(node: NodeProperties, cond: Condition | undefined): boolean | undefined {
	if (!cond) return true;
	const type = String(node[`${cond.field}Type`] || 'str');
	if (STATIC.indexOf(type) < 0) return undefined;
	const raw = node[cond.field];
	const actual = String(raw === undefined || raw === null ? '' : raw);
	return cond.equals.map(String).indexOf(actual) >= 0;
}

function fieldValidator(f: ClientField): Validator {
	return function (v) {
		const type = String(this[`${f.name}Type`] || f.types[0]);
		if (holds(this, f.showWhen) === false) return true;
		if (isEmpty(v)) {
			if (STATIC.indexOf(type) < 0) return `${f.label}: enter where to read it from`;
			if (f.chained) return true;
			if (f.required || (f.requiredWhen && holds(this, f.requiredWhen) === true)) return `${f.label} is required`;
			return true;
		}
		if (type === 'num' && isNaN(Number(v))) return `${f.label} must be a number`;
		if (type === 'option' && f.options && !f.options.some((o) => o.value === String(v))) return `${f.label} must be one of the listed options`;
		return true;
	};
}

function typeDefs(f: ClientField): unknown[] {
	return f.types.map((t) => (t === 'option' ? { value: 'option', label: f.label, options: f.options } : t));
}

/** Shows a field only while its controlling field has one of the listed values (or is read at run time). */
function wireShowWhen(fields: ReadonlyArray<Pick<ClientField, 'name' | 'showWhen'>>, prefix: string, typed: boolean): void {
	fields.forEach((f) => {
		const cond = f.showWhen;
		if (!cond) return;
		const control = $(`#${prefix}${cond.field}`);
		const row = $(`#${prefix}${f.name}`).closest('.form-row');
		if (!control.length) return;
		const update = () => {
			const type = typed ? control.typedInput('type') : 'str';
			const value = typed ? control.typedInput('value') : control.val();
			row.toggle(STATIC.indexOf(type) < 0 || cond.equals.map(String).indexOf(String(value)) >= 0);
		};
		control.on('change', update);
		update();
	});
}

function wholeAtLeast(min: number, label: string): Validator {
	return (v) => (isEmpty(v) || (/^\d+$/.test(String(v)) && Number(v) >= min) ? true : `${label} must be a whole number from ${min}`);
}

function positiveSeconds(v: unknown): true | string {
	return !isEmpty(v) && Number(v) > 0 ? true : 'Timeout must be a positive number of seconds';
}

/** Edit dialog of an operation node: the reference input, a typed input per field, dependent fields shown and hidden. */
function prepareOperation(d: { reference: { type: string; types: string[] } | null; fields: ClientField[] }): void {
	if (d.reference) {
		$('#node-input-reference').typedInput({ default: d.reference.type, typeField: '#node-input-referenceType', types: d.reference.types });
	}
	d.fields.forEach((f) => {
		$(`#node-input-${f.name}`).typedInput({ default: f.types[0], typeField: `#node-input-${f.name}Type`, types: typeDefs(f) });
	});
	wireShowWhen(d.fields, 'node-input-', true);
}

/**
 * The account dialog's Test button: posts the dialog's current values (a stored secret shows as Node-RED's
 * placeholder, which the endpoint replaces with the stored value) and shows the answer beside the button.
 */
function wireCredentialTest(fields: ClientCredentialField[], path: string, id: string): void {
	const button = $('#node-config-otpflow-test');
	const result = $('#node-config-otpflow-test-result');
	if (!button.length) return;
	const show = (ok: boolean | undefined, text: string) => {
		result.text(ok === undefined ? text : `${ok ? '\u2714' : '\u2718'} ${text}`);
		result.css('color', ok === undefined ? '' : ok ? 'var(--red-ui-text-color-success, #3c763d)' : 'var(--red-ui-text-color-error, #d9534f)');
	};
	button.on('click', () => {
		const credentials: Record<string, string> = {};
		fields.forEach((f) => {
			credentials[f.name] = $(`#node-config-input-${f.name}`).val();
		});
		button.prop('disabled', true);
		show(undefined, 'Testing\u2026');
		$.ajax({ url: path, type: 'POST', contentType: 'application/json', dataType: 'json', data: JSON.stringify({ id, credentials }), timeout: 30000 })
			.done((answer) => {
				const a = (answer || {}) as { ok?: unknown; message?: unknown };
				show(a.ok === true, String(a.message || 'The test gave no answer.'));
			})
			.fail((xhr) => {
				const denied = xhr.status === 401 || xhr.status === 403;
				show(false, denied ? `You may not test this account (HTTP ${xhr.status}).` : `The test did not answer${xhr.status ? ` (HTTP ${xhr.status})` : ''}.`);
			})
			.always(() => button.prop('disabled', false));
	});
}

/** Edit dialog of a config node: credential fields shown and hidden by their conditions, and the Test button. */
function prepareConfig(fields: ClientCredentialField[], testPath: string, id: string): void {
	wireShowWhen(fields, 'node-config-input-', false);
	wireCredentialTest(fields, testPath, id);
}

function urlValidator(label: string): Validator {
	return (v) => (isEmpty(v) || /^https?:\/\/[^\s/]+/i.test(String(v)) ? true : `${label} must be an http(s) URL`);
}

const HELPERS = [
	isEmpty,
	holds,
	fieldValidator,
	typeDefs,
	wireShowWhen,
	wholeAtLeast,
	positiveSeconds,
	prepareOperation,
	wireCredentialTest,
	prepareConfig,
	urlValidator,
];

/** The helpers' compiled source, for the editor HTML. */
export const CLIENT_HELPERS = [`var STATIC = ${JSON.stringify(STATIC)};`, ...HELPERS.map((fn) => fn.toString())].join('\n\n');
