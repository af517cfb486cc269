/**
 * Browser code shared by every node of one provider file: builds the registerType definitions from
 * plain data. Plain ES5 (it runs in the editor as is); wrapped in an IIFE so nothing leaks into globals.
 */
export const CLIENT_HELPERS = String.raw`
	var STATIC = ["str", "num", "bool", "option"];

	function isEmpty(v) {
		return v === undefined || v === null || String(v).trim() === "";
	}

	/** true/false when the controlling field has a fixed value, undefined when it is read at run time. */
	function holds(node, cond) {
		if (!cond) { return true; }
		var type = node[cond.field + "Type"] || "str";
		if (STATIC.indexOf(type) < 0) { return undefined; }
		var actual = String(node[cond.field] === undefined || node[cond.field] === null ? "" : node[cond.field]);
		return cond.equals.map(String).indexOf(actual) >= 0;
	}

	function fieldValidator(f) {
		return function (v) {
			var type = this[f.name + "Type"] || f.types[0];
			if (holds(this, f.showWhen) === false) { return true; }
			if (isEmpty(v)) {
				if (STATIC.indexOf(type) < 0) { return f.label + ": enter where to read it from"; }
				if (f.required || (f.requiredWhen && holds(this, f.requiredWhen) === true)) { return f.label + " is required"; }
				return true;
			}
			if (type === "num" && isNaN(Number(v))) { return f.label + " must be a number"; }
			if (type === "option" && f.options && !f.options.some(function (o) { return o.value === String(v); })) {
				return f.label + " must be one of the listed options";
			}
			return true;
		};
	}

	function typeDefs(f) {
		return f.types.map(function (t) {
			return t === "option" ? { value: "option", label: f.label, options: f.options } : t;
		});
	}

	/** Shows a field only while its controlling field has one of the listed values (or is read at run time). */
	function wireShowWhen(fields, prefix, typed) {
		fields.forEach(function (f) {
			if (!f.showWhen) { return; }
			var control = $("#" + prefix + f.showWhen.field);
			var row = $("#" + prefix + f.name).closest(".form-row");
			if (!control.length) { return; }
			var update = function () {
				var type = typed ? control.typedInput("type") : "str";
				var value = typed ? control.typedInput("value") : control.val();
				var show = STATIC.indexOf(type) < 0 || f.showWhen.equals.map(String).indexOf(String(value)) >= 0;
				row.toggle(show);
			};
			control.on("change", update);
			update();
		});
	}

	function positiveSeconds(v) {
		return !isEmpty(v) && Number(v) > 0 ? true : "Timeout must be a positive number of seconds";
	}

	function operationNode(d) {
		var defaults = {
			name: { value: "" },
			config: { value: "", type: d.configType, required: true }
		};
		d.fields.forEach(function (f) {
			defaults[f.name] = { value: f.value, validate: fieldValidator(f) };
			defaults[f.name + "Type"] = { value: f.type };
		});
		defaults.includeRaw = { value: false };
		defaults.timeout = { value: d.timeout, required: true, validate: positiveSeconds };
		return {
			category: d.category,
			color: d.color,
			defaults: defaults,
			inputs: 1,
			outputs: 2,
			outputLabels: d.outputLabels,
			icon: d.icon,
			paletteLabel: d.paletteLabel,
			label: function () { return this.name || d.label; },
			labelStyle: function () { return this.name ? "node_label_italic" : ""; },
			oneditprepare: function () {
				d.fields.forEach(function (f) {
					$("#node-input-" + f.name).typedInput({
						default: f.types[0],
						typeField: "#node-input-" + f.name + "Type",
						types: typeDefs(f)
					});
				});
				wireShowWhen(d.fields, "node-input-", true);
			}
		};
	}

	function configNode(d) {
		var defaults = { name: { value: "" } };
		var credentials = {};
		d.fields.forEach(function (f) {
			if (f.type === "password") {
				credentials[f.name] = { type: "password", required: f.required && !f.showWhen };
				return;
			}
			var def = { value: f.value, required: f.required && !f.showWhen };
			if (f.url) { def.validate = function (v) { return isEmpty(v) || /^https?:\/\/[^\s\/]+/i.test(String(v)) ? true : f.label + " must be an http(s) URL"; }; }
			defaults[f.name] = def;
		});
		return {
			category: "config",
			defaults: defaults,
			credentials: credentials,
			label: function () { return this.name || d.label; },
			oneditprepare: function () {
				wireShowWhen(d.fields, "node-config-input-", false);
			}
		};
	}
`;
