/** The generated editor HTML: valid browser JS that registers exactly what the runtime registers, safely. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { STATUSES, type ProviderSpec } from '../../nodes/core';
import capillaryNodes from '../../node-red/capillary';
import iserveuNodes from '../../node-red/iserveu';
import { buildEditor } from '../../node-red/editor/build';
import { providerHelp, providerHtml } from '../../node-red/editor/html';

type Def = Record<string, any>;
type Module = ((RED: unknown) => void) & { provider: ProviderSpec };

/** What the runtime registers: type → registerType options. */
function runtimeTypes(mod: Module): Map<string, Def | undefined> {
	const types = new Map<string, Def | undefined>();
	mod({ nodes: { registerType: (type: string, _ctor: unknown, opts?: Def) => types.set(type, opts) }, util: {} });
	return types;
}

function scripts(html: string, kind: string): string[] {
	const re = new RegExp(`<script type="${kind}"([^>]*)>([\\s\\S]*?)</script>`, 'g');
	return [...html.matchAll(re)].map((m) => `${m[1]}\n${m[2]}`);
}

/** A jQuery stand-in good enough for oneditprepare: records typedInput setups and row visibility. */
function fakeJquery(values: Record<string, { type: string; value: string }>) {
	const typed: Record<string, Def> = {};
	const shown: Record<string, boolean> = {};
	const handlers: Record<string, () => void> = {};
	const $ = (selector: string) => {
		const id = selector.replace(/^#(node-input-|node-config-input-)/, '');
		const el = {
			length: 1,
			typedInput(arg: Def | string) {
				if (typeof arg === 'object') typed[id] = arg;
				else return arg === 'type' ? values[id]?.type : values[id]?.value;
				return el;
			},
			val: () => values[id]?.value,
			on(_event: string, fn: () => void) {
				handlers[id] = fn;
				return el;
			},
			closest: () => ({ toggle: (show: boolean) => (shown[id] = show) }),
		};
		return el;
	};
	return { $, typed, shown, handlers };
}

/** Runs the generated definitions in a VM, as the editor would, and returns what they registered. */
function editorTypes(html: string, $: unknown = () => ({})): Map<string, Def> {
	const types = new Map<string, Def>();
	const RED = { nodes: { registerType: (type: string, def: Def) => types.set(type, def) } };
	for (const code of scripts(html, 'text/javascript')) vm.runInNewContext(code, { RED, $ });
	return types;
}

describe.each([
	['capillary', capillaryNodes as unknown as Module],
	['iserveu', iserveuNodes as unknown as Module],
])('%s editor HTML', (_slug, mod) => {
	const html = providerHtml(mod.provider);
	const help = providerHelp(mod.provider);
	const runtime = runtimeTypes(mod);
	const editor = editorTypes(html);
	const configType = `otpflow-${mod.provider.slug}-config`;
	const passwords = mod.provider.credential.fields.filter((f) => f.type === 'password').map((f) => f.name);

	it('registers every node type the runtime registers, and no other', () => {
		expect([...editor.keys()].sort()).toEqual([...runtime.keys()].sort());
		expect(runtime.size).toBe(mod.provider.operations.length + 1);
	});

	it('has an edit dialog for every node type, and its help in the locale file', () => {
		for (const type of runtime.keys()) {
			expect(html).toContain(`data-template-name="${type}"`);
			expect(help).toContain(`data-help-name="${type}"`);
			expect(html).not.toContain(`data-help-name="${type}"`);
		}
	});

	it("titles the account's edit dialog and palette entry with the account's name, not its type id", () => {
		expect(editor.get(configType)!.paletteLabel).toBe(`${mod.provider.label} account`);
	});

	it('keeps passwords out of defaults, as password credentials in both editor and runtime', () => {
		const config = editor.get(configType)!;
		expect(config.category).toBe('config');
		for (const name of passwords) {
			expect(config.defaults).not.toHaveProperty(name);
			expect(config.credentials[name]).toMatchObject({ type: 'password' });
			expect(runtime.get(configType)?.credentials[name]).toEqual({ type: 'password' });
		}
		for (const field of mod.provider.credential.fields.filter((f) => f.type !== 'password')) {
			expect(config.defaults[field.name]).toMatchObject({ value: field.default ?? '' });
		}
	});

	it('gives operation nodes two labelled outputs, the palette category, a reference input on continuing steps, and empty chained fields', () => {
		for (const op of mod.provider.operations) {
			const def = editor.get(`otpflow-${mod.provider.slug}-${op.id.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`)!;
			expect(def).toMatchObject({
				category: 'OTP Flow',
				color: mod.provider.color,
				inputs: 1,
				outputs: 2,
				outputLabels: ['success', 'failure'],
				icon: `${mod.provider.icon}.svg`,
			});
			expect(def.defaults.config).toEqual({ value: '', type: configType, required: true });
			expect(def.defaults.timeout.value).toBe(15);
			expect(def.label.call({ name: '' })).toBe(`${mod.provider.label} ${op.name}`);
			expect(def.label.call({ name: 'Mine' })).toBe('Mine');
			// What a person reads in the palette: 'Capillary Generate OTP', not a lower-case type id.
			expect(def.paletteLabel).toBe(`${mod.provider.label.split(' ')[0]} ${op.name}`);
			const continuing = op.continues !== undefined || op.fields.some((f) => f.fromPrevious);
			expect(def.defaults.reference).toEqual(continuing ? { value: 'payload.reference' } : undefined);
			expect(def.defaults.referenceType).toEqual(continuing ? { value: 'msg' } : undefined);
			for (const field of op.fields) {
				const staticType = field.type === 'options' ? 'option' : field.type === 'number' ? 'num' : 'str';
				const expected = field.fromPrevious
					? { value: '', type: staticType }
					: field.fromMessage
						? { value: field.fromMessage, type: 'msg' }
						: { value: String(field.default ?? ''), type: staticType };
				expect({ value: def.defaults[field.name].value, type: def.defaults[`${field.name}Type`].value }).toEqual(expected);
			}
		}
	});

	it('describes the result contract once, in the account help; each operation help names every status and points there', () => {
		const config = scripts(help, 'text/html').find((s) => s.includes(`data-help-name="${configType}"`))!;
		for (const status of STATUSES) expect(config).toContain(`<dt>${status} `);
		for (const op of mod.provider.operations) {
			const type = `otpflow-${mod.provider.slug}-${op.id.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
			const opHelp = scripts(help, 'text/html').find((s) => s.includes(`data-help-name="${type}"`))!;
			for (const status of STATUSES) expect(opHelp).toContain(`<code>${status}</code>`);
			expect(opHelp).not.toContain('<dt>retryAfterSeconds ');
			expect(opHelp).toContain(`help of the <b>${mod.provider.label} account</b> node`);
			expect(opHelp).toContain('<h3>Inputs</h3>');
			expect(opHelp).toContain('<h3>Outputs</h3>');
			expect(opHelp).toContain('<ol class="node-ports">');
		}
	});
});

describe('editor validators and dialogs', () => {
	const editor = editorTypes(providerHtml(capillaryNodes.provider as ProviderSpec));
	const token = editor.get('otpflow-capillary-generate-token')!;

	it('requires the device ID only while the app type is mobile (or read at run time)', () => {
		const validate = token.defaults.deviceId.validate;
		expect(validate.call({ flavour: 'mobile', flavourType: 'option', deviceIdType: 'str' }, '')).toBe('Device ID is required');
		expect(validate.call({ flavour: 'web', flavourType: 'option', deviceIdType: 'str' }, '')).toBe(true);
		expect(validate.call({ flavour: 'mobile', flavourType: 'option', deviceIdType: 'str' }, 'dev-1')).toBe(true);
		expect(validate.call({ flavour: 'mobile', flavourType: 'option', deviceIdType: 'msg' }, '')).toMatch(/where to read it from/);
	});

	it('rejects a non-positive timeout', () => {
		expect(token.defaults.timeout.validate(0)).toMatch(/positive/);
		expect(token.defaults.timeout.validate(2.5)).toBe(true);
	});

	it('sets up a typed input per field and hides the device ID for web apps', () => {
		const web = fakeJquery({ flavour: { type: 'option', value: 'web' }, factor: { type: 'option', value: 'first' } });
		const defs = editorTypes(providerHtml(capillaryNodes.provider as ProviderSpec), web.$);
		defs.get('otpflow-capillary-generate-token')!.oneditprepare();
		// The Reference feeds the Authorized Token of a Second Factor (MFA) session.
		expect(Object.keys(web.typed).sort()).toEqual([
			'authorizedToken',
			'deviceId',
			'factor',
			'flavour',
			'identifierType',
			'identifierValue',
			'reference',
			'sessionMinutes',
		]);
		expect(web.shown.authorizedToken).toBe(false);
		expect(web.typed.flavour.types[0]).toMatchObject({ value: 'option', options: [{ value: 'mobile' }, { value: 'web' }] });
		expect(web.typed.identifierValue.typeField).toBe('#node-input-identifierValueType');
		expect(web.shown.deviceId).toBe(false);

		const dynamic = fakeJquery({ flavour: { type: 'msg', value: 'payload.reference.flavour' } });
		editorTypes(providerHtml(capillaryNodes.provider as ProviderSpec), dynamic.$)
			.get('otpflow-capillary-generate-otp')!
			.oneditprepare();
		expect(dynamic.shown.deviceId).toBe(true);
	});
});

describe("the account dialog's Test button", () => {
	/** A jQuery stand-in for the config dialog: field values, the button's state, the result text and each ajax call. */
	function dialog(values: Record<string, string>) {
		const state = { disabled: false, text: '', color: '', click: undefined as undefined | (() => void) };
		const calls: Array<{ options: Def; done?: (a: unknown) => void; fail?: (x: { status: number }) => void; always?: () => void }> = [];
		const $ = Object.assign(
			(selector: string) => {
				const id = selector.replace(/^#(node-config-input-)?/, '');
				return {
					length: 1,
					val: () => values[id],
					on: (_event: string, fn: () => void) => {
						if (id === 'node-config-otpflow-test') state.click = fn;
					},
					closest: () => ({ toggle: () => undefined }),
					prop: (_name: string, v: boolean) => (state.disabled = v),
					text: (v: string) => (state.text = v),
					css: (_name: string, v: string) => (state.color = v),
				};
			},
			{
				ajax(options: Def) {
					const call: (typeof calls)[number] = { options };
					calls.push(call);
					const chain = {
						done: (fn: (a: unknown) => void) => ((call.done = fn), chain),
						fail: (fn: (x: { status: number }) => void) => ((call.fail = fn), chain),
						always: (fn: () => void) => ((call.always = fn), chain),
					};
					return chain;
				},
			},
		);
		return { $, state, calls };
	}

	const html = providerHtml(iserveuNodes.provider as ProviderSpec);

	it('sits under the account fields, beside a live result area', () => {
		const form = scripts(html, 'text/html').find((s) => s.includes('data-template-name="otpflow-iserveu-config"'))!;
		expect(form).toMatch(/<button type="button" class="red-ui-button" id="node-config-otpflow-test"[^>]*>.*Test<\/button>/);
		expect(form).toContain('id="node-config-otpflow-test-result" role="status" aria-live="polite"');
		expect(form.indexOf('node-config-otpflow-test')).toBeGreaterThan(form.indexOf('node-config-input-clientSecret'));
		const help = scripts(providerHelp(iserveuNodes.provider as ProviderSpec), 'text/html').find((s) => s.includes('data-help-name="otpflow-iserveu-config"'))!;
		expect(help).toContain('<p><b>Test</b> sends iServeU DMT Lite one harmless request');
	});

	it("posts the dialog's values and the node id to the provider's endpoint, disabled while it runs, and shows the answer", () => {
		const d = dialog({ baseUrl: 'https://api.example/', clientId: 'cid', clientSecret: '__PWRD__' });
		const config = editorTypes(html, d.$).get('otpflow-iserveu-config')!;
		config.oneditprepare.call({ id: 'abc123' });
		d.state.click!();
		expect(d.state.disabled).toBe(true);
		expect(d.state.text).toBe('Testing\u2026');
		expect(d.calls).toHaveLength(1);
		expect(d.calls[0].options).toMatchObject({ url: 'otpflow/iserveu/test', type: 'POST', contentType: 'application/json' });
		expect(JSON.parse(d.calls[0].options.data)).toEqual({
			id: 'abc123',
			credentials: { baseUrl: 'https://api.example/', clientId: 'cid', clientSecret: '__PWRD__' },
		});

		d.calls[0].done!({ ok: false, message: 'iServeU rejected the client ID or secret' });
		d.calls[0].always!();
		expect(d.state).toMatchObject({ disabled: false, text: '\u2718 iServeU rejected the client ID or secret', color: expect.stringContaining('error') });

		d.state.click!();
		d.calls[1].done!({ ok: true, message: 'Connection successful' });
		expect(d.state).toMatchObject({ text: '\u2714 Connection successful', color: expect.stringContaining('success') });

		d.state.click!();
		d.calls[2].fail!({ status: 403 });
		expect(d.state.text).toBe('\u2718 You may not test this account (HTTP 403).');
	});
});

describe('editor HTML escaping', () => {
	const evil = '</script><img src=x onerror=alert(1)>"\'&';
	const base = capillaryNodes.provider as ProviderSpec;
	const provider: ProviderSpec = {
		...base,
		label: `Evil ${evil}`,
		description: evil,
		operations: base.operations.map((op) => ({
			...op,
			name: `Op ${evil}`,
			description: evil,
			fields: op.fields.map((f) => ({ ...f, label: evil, description: evil, placeholder: evil })),
		})),
	};
	const html = providerHtml(provider);

	it('never lets provider text close a script block or inject markup', () => {
		const help = providerHelp(provider);
		expect(help).not.toContain('<img');
		expect((help.match(/<script/g) ?? []).length).toBe((help.match(/<\/script>/g) ?? []).length);
		expect(html).not.toContain('<img');
		expect((html.match(/<script/g) ?? []).length).toBe((html.match(/<\/script>/g) ?? []).length);
		const types = editorTypes(html);
		expect(types.get('otpflow-capillary-generate-otp')!.label.call({})).toBe(`Evil ${evil} Op ${evil}`);
	});
});

describe('editor build', () => {
	it('writes <name>.html beside each compiled provider entry and skips other modules', () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'otpflow-editor-'));
		try {
			const spec = { ...(capillaryNodes.provider as ProviderSpec), slug: 'demo', operations: [] };
			(globalThis as Record<string, unknown>).__otpflowSpec = spec;
			fs.writeFileSync(path.join(dir, 'demo.js'), 'module.exports = Object.assign(function () {}, { provider: globalThis.__otpflowSpec });');
			fs.writeFileSync(path.join(dir, 'helper.js'), 'module.exports = { notAProvider: true };');
			const written = buildEditor(dir);
			expect(written).toEqual([path.join(dir, 'demo.html'), path.join(dir, 'locales', 'en-US', 'demo.html')]);
			expect(fs.readFileSync(written[1], 'utf8')).toContain('data-help-name="otpflow-demo-config"');
			expect(fs.readFileSync(written[0], 'utf8')).toContain('RED.nodes.registerType("otpflow-demo-config"');
		} finally {
			delete (globalThis as Record<string, unknown>).__otpflowSpec;
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
