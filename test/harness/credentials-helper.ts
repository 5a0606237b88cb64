import {
	ICredentialsHelper,
	NodeHelpers,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeParameters,
	type INodeProperties,
	type IRequestOptionsSimplified,
	type Workflow,
} from 'n8n-workflow';

/** Credential data by credential id (checked first) or by credential type name. */
export type HarnessCredentials = Record<string, ICredentialDataDecryptedObject>;

const GENERIC_SECTIONS = ['headers', 'qs', 'body', 'auth'] as const;

/**
 * In-memory stand-in for n8n's database-backed credentials helper. It applies a credential
 * type's `authenticate` the way n8n does; there is no storage, encryption or OAuth.
 */
export class HarnessCredentialsHelper extends ICredentialsHelper {
	/** How many times a node had a credential loaded and decrypted (n8n reads its database each time). */
	decryptions = 0;

	constructor(
		private readonly types: Record<string, ICredentialType>,
		private readonly data: HarnessCredentials,
	) {
		super();
	}

	private getType(name: string): ICredentialType {
		const type = this.types[name];
		if (!type) throw new Error(`harness: unknown credential type "${name}"`);
		return type;
	}

	getParentTypes(name: string): string[] {
		const parents = this.types[name]?.extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		const type = this.types[credentialType];
		if (!type?.restrictToSupportedNodes) return true;
		return type.supportedNodes?.includes(nodeType) ?? false;
	}

	getCredentialsProperties(name: string): INodeProperties[] {
		const type = this.getType(name);
		const inherited = (type.extends ?? []).flatMap((parent) => this.getCredentialsProperties(parent));
		// Own properties win over inherited ones with the same name.
		const own = new Set(type.properties.map((p) => p.name));
		return [...inherited.filter((p) => !own.has(p.name)), ...type.properties];
	}

	async getDecrypted(
		_additionalData: unknown,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		this.decryptions++;
		const stored =
			(nodeCredentials.id !== null ? this.data[nodeCredentials.id] : undefined) ?? this.data[type];
		if (!stored) {
			throw new Error(
				`harness: no credential data for id "${nodeCredentials.id}" or type "${type}"`,
			);
		}
		// Like n8n: fill in property defaults and drop keys the credential type does not declare.
		const withDefaults = NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(type),
			structuredClone(stored) as INodeParameters,
			true,
			false,
			null,
			null,
		);
		return (withDefaults ?? {}) as ICredentialDataDecryptedObject;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.getType(typeName);
		const options = requestOptions as IHttpRequestOptions;
		if (authenticate === undefined) return options;
		if (typeof authenticate === 'function') return await authenticate(credentials, options);
		if (authenticate.type !== 'generic') {
			throw new Error(`harness: authenticate type "${String(authenticate.type)}" is not supported`);
		}
		if (!workflow || !node) throw new Error('harness: generic authenticate needs workflow and node');

		// n8n resolves `={{ }}` keys and values against `$credentials` and stringifies the result
		// (empty string when falsy); literal values pass through unchanged.
		const resolve = (value: unknown): unknown => {
			if (typeof value !== 'string' || !value.startsWith('=')) return value;
			const resolved = workflow.expression.getSimpleParameterValue(
				node,
				value,
				'internal',
				{ $credentials: credentials },
				undefined,
				'',
			);
			return resolved ? String(resolved) : '';
		};

		const out: Record<string, unknown> = { ...options, headers: { ...options.headers } };
		for (const [section, values] of Object.entries(authenticate.properties)) {
			if (!(GENERIC_SECTIONS as readonly string[]).includes(section)) {
				throw new Error(`harness: authenticate.properties.${section} is not supported`);
			}
			const current = out[section] ?? {};
			if (typeof current !== 'object' || Array.isArray(current) || Buffer.isBuffer(current)) {
				throw new Error(`harness: cannot merge credential ${section} into a non-object ${section}`);
			}
			const merged: IDataObject = { ...(current as IDataObject) };
			for (const [key, value] of Object.entries(values as IDataObject)) {
				merged[String(resolve(key))] = resolve(value) as IDataObject[string];
			}
			out[section] = merged;
		}
		return out as unknown as IHttpRequestOptions;
	}

	// Nothing below is needed for static API-key credentials.
	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('harness: getCredentials (stored, encrypted credentials) is not supported');
	}
}
