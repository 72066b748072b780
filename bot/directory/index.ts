/** Microsoft Graph implementation of the Directory port, and the local tenant that stands in for Graph. */
export { GraphDirectory, isLoopback, type GraphDirectoryOptions } from './graphDirectory.js';
export { LOCAL_TENANT_TOKEN } from './localTenantToken.js';
export { SlidingWindowLimiter, systemClock, type LimiterClock } from './rateLimiter.js';
export { startLocalTenant, seededRandom, type LocalTenant, type LocalTenantFaults, type LocalTenantOptions, type LocalTenantState } from './localTenant.js';
