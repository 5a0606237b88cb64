# Experiment: the komojuApi credential's authenticate as a function (Basic auth set directly)
# instead of the generic block, whose `={{$credentials.secretKey}}` n8n evaluates as an
# expression on every request.
p = 'credentials/KomojuApi.credentials.ts'
s = open(p).read()
start = s.index('\tauthenticate: IAuthenticateGeneric = {')
end = s.index('\t};', start) + 3
s = s[:start] + """\tasync authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return { ...requestOptions, auth: { username: String(credentials.secretKey ?? ''), password: '' } };
	}""" + s[end:]
s = s.replace("import type {\n\tIAuthenticateGeneric,", "import type {\n\tICredentialDataDecryptedObject,\n\tIHttpRequestOptions,")
open(p, 'w').write(s)
