# Experiment: read the credential once per node run in transport/request.ts (connectionSettings),
# instead of once per request. Action nodes only; pollers and dropdowns keep reading it fresh.
p = 'nodes/Komoju/transport/request.ts'
s = open(p).read()
old = "async function connectionSettings(context: KomojuRequestContext): Promise<ConnectionSettings> {"
assert old in s
s = s.replace(old, """const settingsPerRun = new WeakMap<object, Promise<ConnectionSettings>>();

async function connectionSettings(context: KomojuRequestContext): Promise<ConnectionSettings> {
	if (!('getInputData' in context)) return await readConnectionSettings(context);
	let settings = settingsPerRun.get(context);
	if (!settings) {
		settings = readConnectionSettings(context);
		settingsPerRun.set(context, settings);
	}
	return await settings;
}

async function readConnectionSettings(context: KomojuRequestContext): Promise<ConnectionSettings> {""")
open(p, 'w').write(s)
