/** Editor help (`data-help-name`) in Node-RED's standard layout: Inputs, Outputs, Details, References. */
import { DEFAULT_MAX_CONCURRENT } from '../account';
import { isSecretField, OK_STATUSES, STATUSES, STATUS_MEANING, type FieldSpec, type OperationSpec, type ProviderSpec } from '../../nodes/core';
import { configType, defaultLabel, operationType } from '../names';
import { nodeFields, propertyDefault } from '../properties';
import { html, withCode } from './escape';

const RESULT_FIELDS: ReadonlyArray<[string, string, string]> = [
	['ok', 'boolean', 'true exactly for otp_sent, verified and completed (the Success output)'],
	['status', 'string', 'the normalised status, one of the list below: branch on it with a Switch node'],
	['provider', 'string', 'the provider id'],
	['operation', 'string', 'the operation id'],
	['message', 'string', "human-readable; the provider's own words when it gave any"],
	['reference', 'object', 'every id the next step needs (e.g. sessionId); the next node reads it by default'],
	['retryable', 'boolean', 'whether the same call can succeed later or with another code'],
	['retryAfterSeconds', 'number', 'when known: how long to wait before retrying'],
	['expiresAt', 'string', 'when known: ISO-8601 time the code or session expires'],
	['attemptsRemaining', 'number', 'when known: wrong codes still allowed'],
	['next', 'string', 'the natural next operation after a success'],
	['errors', 'array', 'for invalid_request found before sending: one {field, message} per rejected field'],
	['providerStatus', 'object', "the provider's untouched httpStatus, code and text"],
	['raw', 'object', 'only with "Include raw response": the provider body, secrets and Aadhaar numbers masked'],
];

/** Ends a description with a full stop so the facts appended after it read as sentences. */
function sentence(text: string | undefined): string {
	const t = (text ?? '').trim();
	return t === '' || /[.!?]$/.test(t) ? html(t) : `${html(t)}.`;
}

function dl(items: string[]): string {
	return ['<dl class="message-properties">', ...items, '</dl>'].join('\n');
}

function dt(name: string, type: string, description: string, optional = false): string {
	const cls = optional ? ' class="optional"' : '';
	return `\t<dt${cls}>${html(name)} <span class="property-type">${html(type)}</span></dt>\n\t<dd>${description}</dd>`;
}

function when(cond: FieldSpec['showWhen']): string {
	return cond ? `${html(cond.field)} is ${cond.equals.map((v) => `<code>${html(v)}</code>`).join(' or ')}` : '';
}

function fieldHelp(field: FieldSpec): string {
	const parts = [sentence(field.description)];
	if (field.options) parts.push(`One of: ${field.options.map((o) => `<code>${html(o.value)}</code> (${html(o.name)})`).join(', ')}.`);
	const d = propertyDefault(field);
	if (field.fromPrevious) parts.push(`Left empty, it is taken from the reference (<code>${html(field.fromPrevious)}</code> of the previous step's result).`);
	else if (d.type === 'msg') parts.push(`Default: <code>msg.${html(d.value)}</code>.`);
	else if (d.value !== '') parts.push(`Default: <code>${html(d.value)}</code>.`);
	if (field.showWhen) parts.push(`Used only when ${when(field.showWhen)}.`);
	if (field.requiredWhen) parts.push(`Required when ${when(field.requiredWhen)}.`);
	if (field.sensitive === 'aadhaar') parts.push('Masked to its last 4 digits wherever it could appear.');
	if (isSecretField(field)) parts.push('A secret: sent to the provider only, never shown in the result, its errors or the raw response.');
	const type = field.type === 'options' ? 'string' : field.type === 'password' ? 'secret' : field.type;
	return dt(field.label, type, parts.join(' '), !field.required);
}

function statusList(): string {
	return dl(STATUSES.map((s) => dt(s, OK_STATUSES.has(s) ? 'success' : 'failure', withCode(STATUS_MEANING[s]))));
}

export function operationHelp(provider: ProviderSpec, op: OperationSpec): string {
	const fields = nodeFields(provider, op);
	const chained = fields.filter((f) => f.fromPrevious);
	const nextOp = op.next ? provider.operations.find((o) => o.id === op.next) : undefined;
	const ok = [...OK_STATUSES].map((s) => `<code>${s}</code>`).join(', ');
	return [
		`<script type="text/html" data-help-name="${html(operationType(provider, op))}">`,
		`<p>${sentence(op.description)} <b>${html(defaultLabel(provider, op))}</b>: ${sentence(provider.description)}</p>`,
		'<h3>Inputs</h3>',
		'<p>Each field is set in the node as a fixed value, or read per message from <code>msg</code>, flow or global context, an environment variable or a JSONata expression.</p>',
		dl(fields.map(fieldHelp)),
		'<h3>Outputs</h3>',
		'<ol class="node-ports">',
		`\t<li>Success\n${dl([dt('payload', 'object', `the result, with <code>ok</code> true and <code>status</code> ${ok}`)])}\n\t</li>`,
		`\t<li>Failure\n${dl([dt('payload', 'object', 'the result, with <code>ok</code> false and a failure <code>status</code> (below)')])}\n\t</li>`,
		'</ol>',
		'<p>Every input message leaves by exactly one output; the rest of the message (<code>topic</code> and any other property) is kept.</p>',
		'<h3>Details</h3>',
		`<p>The result in <code>msg.payload</code> is the same for every OTP Flow node: <code>ok</code>, <code>status</code> (${STATUSES.map((s) => `<code>${s}</code>`).join(', ')}), <code>message</code>, <code>reference</code>, <code>retryable</code>, <code>next</code> and, when known, <code>retryAfterSeconds</code>, <code>expiresAt</code>, <code>attemptsRemaining</code>. Each is described once, in the help of the <b>${html(provider.label)} account</b> node.</p>`,
		'<h4>Chaining</h4>',
		chained.length > 0
			? `<p>Wire this node after the previous step, or hand it that step's <code>reference</code> another way: <i>Reference</i> reads <code>msg.payload.reference</code> by default (the previous node's result), and ${chained.map((f) => `<i>${html(f.label)}</i>`).join(', ')} left empty are taken from it. When a web page or another flow sits in between, carry the reference with the message (a hidden form field, say) and point <i>Reference</i> at it, e.g. <code>msg.payload.ref</code>: nothing needs to live in flow context, so the flow survives a restart and runs on several Node-RED instances.</p>`
			: '<p>This node starts a flow: its fields are typed in or read from the incoming message.</p>',
		nextOp
			? `<p>After a success, continue with <b>${html(defaultLabel(provider, nextOp))}</b> (<code>msg.payload.next</code> is <code>${html(nextOp.id)}</code>).</p>`
			: '',
		op.sendsCode
			? "<h4>Send guard</h4><p>When the public can make this node send (behind an <i>http in</i> node, a form, a webhook), choose an <b>OTP Flow public pages</b> node under <i>Send guard</i>: each send is first counted per number or address, per client (the request's address from <code>msg.req</code>; <code>X-Forwarded-For</code> only with trusted proxies set) and per account per hour, in the context store it names. Past a limit the message goes to Failure as <code>rate_limited</code> with <code>retryAfterSeconds</code>, and nothing is sent.</p>"
			: '',
		'<h4>Errors</h4>',
		'<p>Bad input from the message (a malformed number, a missing field) goes to Failure as <code>invalid_request</code>, naming the field; nothing is sent. Configuration mistakes (no account selected, an account missing its secret, an expression that cannot be read) are raised as errors that a Catch node receives.</p>',
		'<p>Secrets and Aadhaar numbers never appear in outputs, errors or logs.</p>',
		'<h3>References</h3>',
		`<ul><li><a href="${html(provider.credential.documentationUrl)}" target="_blank" rel="noopener noreferrer">${html(provider.label)} API documentation</a></li></ul>`,
		'</script>',
	]
		.filter((line) => line !== '')
		.join('\n');
}

export function configHelp(provider: ProviderSpec): string {
	const fields = provider.credential.fields.map((f) =>
		dt(
			f.label,
			f.type === 'password' ? 'secret' : 'string',
			`${sentence(f.description)}${f.default ? ` Default: <code>${html(f.default)}</code>.` : ''}`,
			!f.required,
		),
	);
	return [
		`<script type="text/html" data-help-name="${html(configType(provider))}">`,
		`<p>A ${html(provider.label)} account, shared by its OTP Flow nodes. Secrets are kept in Node-RED's encrypted credentials, never in the flow.</p>`,
		`<p><b>Test</b> sends ${html(provider.label)} one harmless request with the values in this dialog (a secret left as stored is read from the deployed account) and shows <i>Connection successful</i> or the reason beside the button. It sends no OTP, saves nothing, and needs write permission on this node type.</p>`,
		'<h3>The result every OTP Flow node returns</h3>',
		'<p>In <code>msg.payload</code>; Success carries <code>ok</code> true, Failure <code>ok</code> false.</p>',
		dl(
			RESULT_FIELDS.map(([n, t, d]) =>
				dt(n, t, html(d), !['ok', 'status', 'provider', 'operation', 'message', 'reference', 'retryable', 'providerStatus'].includes(n)),
			),
		),
		'<p>Statuses (<code>msg.payload.status</code>):</p>',
		statusList(),
		'<h3>Details</h3>',
		dl([
			...fields,
			dt(
				'Max concurrent',
				'number',
				`Requests to ${html(provider.label)} in flight at once, for all nodes using this account (default ${DEFAULT_MAX_CONCURRENT}). More messages wait in arrival order; the node shows how many wait. None is dropped: a redeploy ends waiting messages with an error a Catch node receives.`,
				true,
			),
			dt('Per second', 'number', 'Requests started per second at most, for providers that rate-limit (0: no limit).', true),
		]),
		'<h3>References</h3>',
		`<ul><li><a href="${html(provider.credential.documentationUrl)}" target="_blank" rel="noopener noreferrer">${html(provider.label)} API documentation</a></li></ul>`,
		'</script>',
	].join('\n');
}
