/** How provider fields become n8n parameters. */
import { credentialProperties, nodeProperties } from '../../nodes/n8n/properties';
import { PROVIDERS, capillary, iserveu } from '../../nodes/providers';

const property = (provider: typeof capillary, op: string, name: string) =>
	nodeProperties(provider).find((p) => p.name === name && p.displayOptions?.show?.operation?.includes(op));

describe('n8n parameters', () => {
	test("a continuing step has one Reference parameter reading the previous result's reference; its chained fields stay empty", () => {
		expect(property(capillary, 'validateOtp', 'reference')).toMatchObject({ type: 'json', default: '={{ $json.reference }}' });
		expect(property(capillary, 'validateOtp', 'reference')?.hint).toBe("After a Form or Wait node: {{ $('Generate OTP').item.json.reference }}");
		const sessionId = property(capillary, 'validateOtp', 'sessionId');
		expect(sessionId).toMatchObject({ default: '', description: expect.stringContaining('Leave empty to take it from the Reference') });
		expect(sessionId?.required).toBeUndefined();
		// Generate Token reads a reference only for a Second Factor (the first factor's token): shown only then.
		expect(property(capillary, 'generateToken', 'reference')?.displayOptions?.show).toEqual({ operation: ['generateToken'], factor: ['mfa'] });
		expect(property(capillary, 'generateToken', 'authorizedToken')).toMatchObject({ default: '', typeOptions: { password: true } });
		expect(property(capillary, 'generateToken', 'authorizedToken')?.displayOptions?.show).toEqual({ operation: ['generateToken'], factor: ['mfa'] });
	});

	test('a chained choice offers "From the Reference" as its default', () => {
		const flavour = property(capillary, 'validateOtp', 'flavour');
		expect(flavour?.default).toBe('');
		expect(flavour?.options?.[0]).toMatchObject({ name: 'From the Reference', value: '' });
	});

	test('a field that depends on a fixed choice is shown only for that choice', () => {
		expect(property(capillary, 'generateToken', 'deviceId')?.displayOptions?.show).toEqual({ operation: ['generateToken'], flavour: ['mobile'] });
		expect(property(iserveu, 'sendOtp', 'requestedAmount')?.displayOptions?.show).toEqual({ operation: ['sendOtp'], otpType: ['2'] });
		// BioAuth's PID data: shown for BioAuth only, masked as a password in the editor.
		const pid = property(iserveu, 'sendOtp', 'pid');
		expect(pid?.displayOptions?.show).toEqual({ operation: ['sendOtp'], ovdType: ['BioAuth'] });
		expect(pid?.typeOptions).toEqual({ password: true });
	});

	test('a field that depends on a chained field stays visible: the editor cannot evaluate the expression', () => {
		const deviceId = property(capillary, 'validateOtp', 'deviceId');
		expect(deviceId?.displayOptions?.show).toEqual({ operation: ['validateOtp'] });
		expect(deviceId?.description).toContain('Used only when flavour is mobile');
	});

	test('advanced fields and the common options sit in one Options collection per operation', () => {
		const options = property(iserveu, 'sendOtp', 'options');
		const names = (options?.options ?? []).map((o) => ('name' in o ? o.name : ''));
		expect(names).toEqual(expect.arrayContaining(['includeRaw', 'timeoutSeconds', 'otpValidityMinutes', 'resendWaitSeconds', 'maxAttempts', 'publicIP']));
	});
});

describe('the send guard in the editor', () => {
	const optionNames = (provider: typeof capillary, op: string) => (property(provider, op, 'options')?.options ?? []).map((o) => (o as { name: string }).name);

	test('every operation that sends a code offers it (off by default), the others do not; Send and Wait always guards', () => {
		for (const provider of PROVIDERS) {
			for (const op of provider.operations) {
				const names = optionNames(provider, op.id);
				if (op.sendsCode) expect(names).toEqual(expect.arrayContaining(['sendGuard', 'sendGuardClient', 'perIdentifierMax', 'perClientMax']));
				else expect(names).not.toContain('sendGuard');
			}
			const wait = optionNames(provider, 'sendAndWait');
			expect(wait).toEqual(expect.arrayContaining(['sendGuardClient', 'perIdentifierMax', 'perClientMax', 'trustedProxies']));
			expect(wait).not.toContain('sendGuard');
		}
		const guard = (property(iserveu, 'sendOtp', 'options')?.options ?? []).find((o) => (o as { name: string }).name === 'sendGuard');
		expect(guard).toMatchObject({ type: 'boolean', default: false });
	});

	test("the credential chooses the counter store (this process by default) and holds the account's hourly ceiling; the store token is a password", () => {
		for (const provider of PROVIDERS) {
			const fields = credentialProperties(provider.credential);
			const byName = new Map(fields.map((f) => [f.name, f]));
			expect(byName.get('sendGuardStore')).toMatchObject({ type: 'options', default: 'process' });
			expect(byName.get('sendGuardStoreToken')).toMatchObject({
				typeOptions: { password: true },
				displayOptions: { show: { sendGuardStore: ['upstashRest'] } },
			});
			expect(byName.get('sendGuardAccountPerHour')).toMatchObject({ type: 'number', default: 0 });
			// The provider's own fields come first and are unchanged.
			expect(fields.slice(0, provider.credential.fields.length).map((f) => f.name)).toEqual(provider.credential.fields.map((f) => f.name));
		}
	});
});
