import { email, length, maskAadhaarLike, pattern, positiveInteger, type FieldSpec, type InterpretInput, type OperationSpec, type Outcome } from '../../../core';
import { searchRequest } from '../envelope';
import { decoded, readEnvelope, summitFailure } from '../interpret';

/**
 * ADM_SearchAllUser (SummitAI's "Search Users By Parameters"): addressed by its own URL, not by ServiceName, with
 * `_ProxyDetails` and `objFilters` at the top of the body. One filter is chosen and sent; the others go as the
 * documented sample leaves them empty.
 */
const FILTERS = [
	{ value: 'email', name: 'E-Mail Address', field: 'email', key: '_emailID', said: 'this e-mail address', column: 'EmailID' },
	{ value: 'userId', name: 'User ID', field: 'userId', key: '_useID', said: 'this user ID', column: 'UserID' },
	{ value: 'userName', name: 'User Name', field: 'userName', key: '_userName', said: 'this user name', column: 'UserName' },
	{ value: 'employeeId', name: 'Employee ID', field: 'employeeId', key: '_empID', said: 'this employee ID', column: 'EmpID' },
] as const;

type Filter = (typeof FILTERS)[number];

const shownFor = (filter: Filter) => ({ showWhen: { field: 'findBy', equals: [filter.value] }, required: true });

export const findUserFields: FieldSpec[] = [
	{
		name: 'findBy',
		label: 'Find By',
		type: 'options',
		options: FILTERS.map((f) => ({ name: f.name, value: f.value })),
		default: 'email',
		required: true,
		description: "Which of the user's details to search by; an e-mail address or employee ID usually finds exactly one user",
	},
	{
		name: 'email',
		label: 'E-Mail Address',
		type: 'string',
		placeholder: 'name@example.com',
		description: "The user's e-mail address as recorded in SummitAI",
		rules: [email()],
		...shownFor(FILTERS[0]),
	},
	{
		name: 'userId',
		label: 'User ID',
		type: 'string',
		placeholder: '967',
		description: "The user's numeric SummitAI user ID",
		rules: [positiveInteger(), length(1, 10)],
		...shownFor(FILTERS[1]),
	},
	{
		name: 'userName',
		label: 'User Name',
		type: 'string',
		placeholder: 'abcd',
		description: "The user's name as recorded in SummitAI; several users may share one, then find by e-mail address or employee ID",
		rules: [length(1, 200)],
		...shownFor(FILTERS[2]),
	},
	{
		name: 'employeeId',
		label: 'Employee ID',
		type: 'string',
		placeholder: 'S100',
		description: "The user's employee ID (Emp ID in SummitAI's user list): letters, digits and . _ / -",
		rules: [pattern(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,49}$/, 'must be 1–50 letters, digits or . _ / - starting with a letter or digit')],
		...shownFor(FILTERS[3]),
	},
];

const filterOf = (params: InterpretInput['params']): Filter => FILTERS.find((f) => f.value === params.findBy) ?? FILTERS[0];

/** objFilters as the documented sample sends them: the chosen filter set, the others empty (_emailID "", _useID 0, the rest null). */
function objFilters(params: InterpretInput['params']): Record<string, unknown> {
	const filter = filterOf(params);
	const filters: Record<string, unknown> = { _emailID: '', _useID: 0, _userName: null, _customer: null, _location: null, _empID: null, _ntID: null };
	const v = params[filter.field];
	filters[filter.key] = filter.key === '_useID' ? Number(v) : String(v);
	return filters;
}

type Row = Record<string, unknown>;

const asObject = (v: unknown): Row | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Row) : undefined);

/** A key as SummitAI writes it, give or take spaces and case: the documented "UserDetails " ends with a space. */
function get(o: Row | undefined, key: string): unknown {
	if (!o) return undefined;
	const want = key.toLowerCase();
	const found = Object.keys(o).find((k) => k.trim().toLowerCase() === want);
	return found === undefined ? undefined : o[found];
}

/** The answer's user rows: OutputObject.AllUserDetails.UserDetails, or the same inside the JSON text in Output; undefined when neither is there. */
export function userRows(answer: Row): Row[] | undefined {
	for (const holder of [decoded(get(answer, 'OutputObject')), decoded(get(answer, 'Output'))]) {
		const all = asObject(get(asObject(holder), 'AllUserDetails'));
		const rows = get(all, 'UserDetails');
		if (Array.isArray(rows)) return rows.filter((r): r is Row => asObject(r) !== undefined);
		if (all && (rows === null || rows === undefined || rows === '')) return [];
	}
	return undefined;
}

/** The envelope itself, decoded when it arrived as JSON text. */
export const answerOf = (body: unknown): Row | undefined => asObject(decoded(body));

const idOf = (v: unknown): string => {
	const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
	return /^[1-9]\d{0,14}$/.test(s) ? s : '';
};
const textOf = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

/** Rows whose searched detail is exactly the value asked for (SummitAI may match a part of a name). */
function exact(rows: Row[], filter: Filter, value: string): Row[] {
	const want = filter.value === 'userId' ? String(Number(value)) : value.toLowerCase();
	return rows.filter((r) => {
		const have = textOf(get(r, filter.column));
		return (filter.value === 'userId' ? idOf(have) : have.toLowerCase()) === want;
	});
}

const NOT_FOUND_WORDS = /no\s+(records?|users?|data|match(es|ing)?)\b|not\s+found|does\s+not\s+exist/i;

function notFound(filter: Filter): Outcome {
	return {
		status: 'invalid_request',
		message: `SummitAI found no user with ${filter.said} (${filter.field}): check it, or find the user by another detail`,
		retryable: false,
	};
}

/** Reads the answer into one user's ids, handed on in `reference` for Generate OTP; no other detail of anyone is kept. */
function interpret(body: unknown, input: InterpretInput): Outcome | undefined {
	if (input.httpStatus === 401 || input.httpStatus === 403 || input.httpStatus >= 500) return undefined;
	const answer = answerOf(body);
	const env = answer && readEnvelope(answer);
	if (!answer || !env) return undefined;
	if (env.errors) return summitFailure(env.errors);
	const filter = filterOf(input.params);
	const rows = userRows(answer);
	if (!rows) {
		if (env.message && NOT_FOUND_WORDS.test(env.message)) return { ...notFound(filter), text: env.message };
		return env.message ? summitFailure(env.message) : { status: 'provider_error', message: 'SummitAI answered without a user list', retryable: true };
	}
	if (rows.length === 0) return notFound(filter);
	const matches = rows.length === 1 ? rows : exact(rows, filter, String(input.params[filter.field] ?? ''));
	if (matches.length !== 1) {
		const total = Math.max(rows.length, Number(get(rows[0], 'TotalRows')) || 0);
		return {
			status: 'invalid_request',
			message: `SummitAI found ${total} users with ${filter.said} (${filter.field}): find the user by a detail only one user has, such as the e-mail address or employee ID`,
			retryable: false,
		};
	}
	const user = matches[0];
	const userId = idOf(get(user, 'UserID'));
	// A name is not an id: like any text a provider writes, an Aadhaar-like number in it is masked.
	const userName = maskAadhaarLike(textOf(get(user, 'UserName')));
	if (!userId) return { status: 'provider_error', message: 'SummitAI answered with a user without a UserID', retryable: true };
	// The answer documents no LoginUID; in SummitAI's own sample UserID and LoginUID are the same number.
	const loginUid = idOf(get(user, 'LoginUID')) || userId;
	return {
		status: 'completed',
		message: 'Found one SummitAI user',
		reference: { userId, loginUid, ...(userName ? { userName } : {}) },
	};
}

/**
 * What Include Raw Response shows: the envelope without its user rows, and how many there were (UserRows). The rows
 * hold people's e-mail addresses, names and Frm_PWD (a stored password); the one user's ids are in `reference`.
 */
function rawView(body: unknown): unknown {
	const answer = answerOf(body);
	if (!answer) return body;
	const rows = userRows(answer);
	const rest = Object.fromEntries(Object.entries(answer).filter(([key]) => key !== 'Output' && key !== 'OutputObject'));
	return rows ? { ...rest, UserRows: rows.length } : rest;
}

export const findUser: OperationSpec = {
	id: 'findUser',
	name: 'Find User',
	action: 'Find a user by e-mail address or ID',
	description:
		"Finds the SummitAI user Generate OTP is for by e-mail address, user ID, user name or employee ID, and hands on the user's UserID, LoginUID and user name in reference",
	fields: findUserFields,
	next: 'generateOtp',
	request: (input) => searchRequest(input.account.baseUrl, objFilters(input.params)),
	interpret,
	rawView,
};
