/** DI token of the CredentialStore port. */
export const CREDENTIAL_STORE = Symbol('CredentialStore');
