/** Bearer token the local tenant expects from GraphDirectory; it stands in for an app-only token. */
export const LOCAL_TENANT_TOKEN = 'local-tenant';
