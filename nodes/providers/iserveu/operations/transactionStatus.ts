import { length, pattern, type InterpretInput, type OperationSpec, type Outcome, type Reference, type Rule } from '../../../core';
import { otpFailure, readBody } from '../interpret';
import { postTo } from '../call';
import { mobileField, usernameField } from '../fields';

/** The enquiry's own path and query operation, outside the DMT Lite base path [doc]. */
export const TXN_REPORT_PATH = 'redis-v2/statuscheck-report/txnreport';
export const TXN_REPORT_OPERATION = 'DMT_txn_status_api_lite_common';

/** India has one time zone, UTC+5:30, no daylight saving: "today" for iServeU. */
const IST_OFFSET_MS = 330 * 60000;
export const indiaDate = (now: Date): string => new Date(now.getTime() + IST_OFFSET_MS).toISOString().slice(0, 10);

/** A real calendar date as YYYY-MM-DD, not after today in India. */
const enquiryDate = (today: () => Date = () => new Date()): Rule => ({
	message: 'must be a real date as YYYY-MM-DD, not after today (India time)',
	test: (v) => {
		const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
		if (!m) return false;
		const [year, month, day] = m.slice(1).map(Number);
		const d = new Date(Date.UTC(year, month - 1, day));
		const real = d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
		return real && year >= 2000 && v <= indiaDate(today());
	},
});

/**
 * The transaction's own status word, in `results[].status`. Only the words whose meaning is clear are mapped; any other
 * is reported with iServeU's words and not read as an outcome (docs/providers.md §iServeU).
 */
const SUCCEEDED = /^(SUCCESS|SUCCESSFUL|COMPLETED?)$/;
const FAILED = /^(FAILED|FAILURE)$/;
const IN_PROCESS = /^(PENDING|INPROGRESS|IN_PROGRESS|IN PROGRESS|INITIATED|PROCESSING)$/;

type Row = Record<string, unknown>;

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : '');
const normal = (key: string) => key.toLowerCase().replace(/[\s_-]/g, '');

/** The client reference a row names, under any of the spellings iServeU's status pages use (clientreferenceid, clientRefId). */
function rowReference(row: Row): string | undefined {
	const key = Object.keys(row).find((k) => ['clientreferenceid', 'clientrefid'].includes(normal(k)));
	return key === undefined ? undefined : text(row[key]);
}

const when = (row: Row): number => Number(row.updatedDate ?? row.createdDate ?? row.txnDateTime ?? 0) || 0;

/** The rows of this reference (a row that names none is taken as one), latest first. */
function rowsFor(results: readonly unknown[], ref: string): Row[] {
	const rows = results.filter((r): r is Row => !!r && typeof r === 'object' && !Array.isArray(r));
	return rows.filter((r) => (rowReference(r) ?? ref).toUpperCase() === ref.toUpperCase()).sort((a, b) => when(b) - when(a));
}

/** What the next step may need of a found transaction: its status word and iServeU's ids for it. */
function found(row: Row, date: string): Reference {
	const reference: Reference = { transactionDate: date, transactionStatus: text(row.status) || 'unknown' };
	const txnId = text(row.txnId);
	const rrn = text(row.rrn);
	if (txnId) reference.txnId = txnId;
	if (rrn) reference.rrn = rrn;
	return reference;
}

function interpretReport(body: unknown, input: InterpretInput): Outcome | undefined {
	if (input.httpStatus === 401 || input.httpStatus === 403) return undefined; // generic auth_failed, with iServeU's words
	if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const b = body as Row;
	const ref = String(input.params.clientRefId ?? '');
	const date = String(input.params.transactionDate ?? indiaDate(input.now));
	const results = b.results;
	if (!Array.isArray(results)) {
		// Not the report: the DMT Lite envelope the other calls answer with (statusCode, statusDesc), read the same way.
		const envelope = readBody(body);
		if (envelope) return otpFailure(envelope.code, envelope.desc);
		const status = Number(b.status);
		const said = text(b.message) || text(b.statusDesc);
		if (Number.isInteger(status) && status >= 400 && status < 500 && said) {
			return { status: 'invalid_request', message: `iServeU refused the enquiry: ${said}`, code: String(status), text: said };
		}
		if (Number.isInteger(status) && status >= 500 && said) {
			return { status: 'provider_error', message: `iServeU: ${said}`, code: String(status), text: said, retryable: true };
		}
		return undefined;
	}
	const code = text(b.status) || undefined;
	const said = text(b.message);
	const rows = rowsFor(results, ref);
	if (rows.length === 0) {
		return {
			status: 'invalid_request',
			message: `iServeU has no transaction with Client Reference ID (clientRefId) ${ref} on ${date}${said ? ` (${said})` : ''}: check the reference and the date (transactionDate)`,
			code,
			text: said,
			retryable: false,
			reference: { transactionDate: date },
		};
	}
	const row = rows[0];
	const word = text(row.status).toUpperCase();
	const desc = text(row.statusDesc);
	const words = desc ? `${word || 'no status'}: ${desc}` : word || 'no status';
	const reference = found(row, date);
	if (SUCCEEDED.test(word)) return { status: 'completed', message: `Transaction ${words}`, code: word, text: desc, reference };
	if (FAILED.test(word)) {
		// The enquiry worked; the transaction did not. Asking again will not change it.
		return { status: 'provider_error', message: `Transaction ${words}`, code: word, text: desc, reference, retryable: false };
	}
	if (IN_PROCESS.test(word))
		return {
			status: 'pending',
			message: `Transaction ${words} (ask again later)`,
			code: word,
			text: desc,
			reference,
			retryable: true,
			next: 'transactionStatus',
		};
	return {
		status: 'provider_error',
		message: `iServeU reported the transaction as ${words}, which OTP Flow does not read as an outcome: check it with iServeU`,
		code: word || undefined,
		text: desc,
		reference,
		retryable: true,
	};
}

export const transactionStatus: OperationSpec = {
	id: 'transactionStatus',
	name: 'Transaction Status Enquiry',
	action: 'Check the status of a transaction',
	description:
		'Looks up a transaction by your client reference (the external reference of Send OTP and Verify Beneficiary) on one day: completed when it succeeded, pending while it is in process',
	fields: [
		{
			name: 'clientRefId',
			label: 'Client Reference ID',
			type: 'string',
			required: true,
			placeholder: 'DL99009078000035',
			description: 'Your reference for the transaction (the External Reference Number it was sent with); taken from the previous step when left empty',
			fromPrevious: 'reference.externalRefNumber',
			rules: [length(6, 22), pattern(/^[A-Za-z0-9_-]+$/, 'must contain only letters, digits, _ or -')],
		},
		{
			name: 'transactionDate',
			label: 'Transaction Date',
			type: 'string',
			placeholder: '2024-10-08',
			description: 'The day of the transaction as YYYY-MM-DD; empty means today (India time). iServeU searches that one day',
			rules: [enquiryDate()],
		},
		// Not part of the enquiry: only handed on, so that the step after it (another Send OTP) still has the customer.
		{
			...mobileField('customerMobileNumber', 'customerMobileNumber'),
			required: false,
			advanced: true,
			description: "The customer's 10-digit mobile number: not sent with the enquiry, only handed on in reference for the next step",
		},
		{
			...usernameField('username'),
			required: false,
			advanced: true,
			description: 'Your iServeU user (retailer) name: not sent with the enquiry, only handed on in reference for the next step',
		},
	],
	// The reference is handed on as the external reference, so a pending enquiry can be repeated from its own result.
	carry: ['clientRefId', 'customerMobileNumber', 'username'],
	carryAs: { clientRefId: 'externalRefNumber' },
	request: (input) => {
		const date = String(input.params.transactionDate ?? indiaDate(input.now));
		// A same-day range: the page's examples give one date for both [doc].
		return postTo(input, TXN_REPORT_PATH, { $1: TXN_REPORT_OPERATION, $4: date, $5: date, $6: input.params.clientRefId });
	},
	interpret: interpretReport,
};
